"""Enterprises file, list, view, edit and delete their reports (officials may list and view
those of their region). One router per kind, so each kind's fields show in OpenAPI."""


from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query, Response

from ..domain.kinds import SPECS, KindSpec
from ..domain.periods import Period
from ..models.reports import Report
from ..usecases.catalogue import brand_choices
from ..usecases.reports import (
    amend_report,
    delete_report,
    file_report,
    filed_periods,
    list_filed,
    own_report,
    reporting_enterprise,
    visible_report,
)
from ..usecases.views import draft_view, report_view
from .common import Clock, parse_period
from .schemas import MODELS, FileablePeriod, ReportBrandChoice, ReportSummary

enterprises = require_kind("enterprise")
anyone = require_kind("enterprise", "official", "admin")


def _summary(report: Report, name: str, clock: Clock, period) -> ReportSummary:
    return ReportSummary(id=report.id, period=report.period, enterprise_id=report.enterprise_id, enterprise_name=name,
                         filler_name=report.filler_name, created_at=report.created_at, updated_at=report.updated_at,
                         deadline=clock.deadlines.due(period), editable=not clock.deadlines.locked(period, clock.today),
                         late=report.late)


def build_router(spec: KindSpec) -> APIRouter:
    models = MODELS[spec.kind]
    router = APIRouter(prefix=f"/api/v1/reports/{spec.kind}", tags=[f"报表：{spec.label}"])

    @router.get("", response_model=Page[ReportSummary], summary=f"{spec.label}列表（按年份、月份查询）")
    async def list_reports(year: int | None = Query(None, ge=2000, le=2100, description="查询年份"),
                           month: int | None = Query(None, ge=1, le=12, description="月份（季报按所在季度）"),
                           region_code: str | None = Query(None, max_length=6, description="地区（仅主管部门）"),
                           principal: Principal = Depends(anyone), params: PageParams = Depends(page_params),
                           uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        reports, names, total = await list_filed(uow, spec, principal, region_code, year, month, params)
        items = [_summary(r, names.get(r.enterprise_id, ""), clock, _period(r)) for r in reports]
        return Page(items=items, total=total, **params.model_dump())

    @router.post("", status_code=201, response_model=models.report_out, summary=f"填报{spec.label}")
    async def create(body: models.body_in, principal: Principal = Depends(enterprises),  # type: ignore[valid-type]
                     uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        enterprise = await reporting_enterprise(uow, principal, spec, lock=True)
        period = parse_period(spec, body.period, clock.today)
        clock.ensure_open(period)
        report = await file_report(uow, spec, enterprise, period, body, late=clock.late(period))
        await uow.commit()
        return await report_view(uow, spec, report, clock.deadlines, clock.today)

    @router.get("/draft", response_model=models.draft_out, summary=f"{spec.label}预填（按本企业交易记录汇总）")
    async def draft(period: str = Query(..., description="报表期间"), principal: Principal = Depends(enterprises),
                    uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        enterprise = await reporting_enterprise(uow, principal, spec)
        period_ = parse_period(spec, period, clock.today, filing=False)
        return await draft_view(uow, spec, enterprise, period_)

    @router.get("/periods", response_model=list[FileablePeriod],
                summary=f"可填报{spec.label}的期间（已开始、未截止或可迟报、尚未填报；年报为已结束的年度）")
    async def periods(principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow),
                      clock: Clock = Depends()):
        enterprise = await reporting_enterprise(uow, principal, spec)
        filed = await filed_periods(uow, spec, enterprise)
        return [FileablePeriod(period=str(p), deadline=clock.deadlines.due(p), late=clock.deadlines.late(p, clock.today))
                for p in clock.deadlines.fileable(spec.cadence, clock.today) if str(p) not in filed]

    if "model_id" in spec.keys:
        @router.get("/choices", response_model=list[ReportBrandChoice], summary="可填报的供应商、品牌、车型和排量")
        async def choices(principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow)):
            return await brand_choices(uow, await reporting_enterprise(uow, principal, spec))

    return router


def build_item_router(spec: KindSpec) -> APIRouter:
    """``/{report_id}`` routes: included after every fixed path (draft, missing, choices)."""
    models = MODELS[spec.kind]
    router = APIRouter(prefix=f"/api/v1/reports/{spec.kind}", tags=[f"报表：{spec.label}"])

    @router.get("/{report_id}", response_model=models.report_out,
                summary=f"查看{spec.label}（主管部门另见与交易记录汇总的差异）")
    async def get_report(report_id: str, principal: Principal = Depends(anyone), uow: UnitOfWork = Depends(get_uow),
                         clock: Clock = Depends()):
        report = await visible_report(uow, principal, spec, report_id)
        return await report_view(uow, spec, report, clock.deadlines, clock.today)

    @router.put("/{report_id}", response_model=models.report_out, summary=f"修改{spec.label}（截止日期前）")
    async def update(report_id: str, body: models.body_in,  # type: ignore[valid-type]
                     principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow),
                     clock: Clock = Depends()):
        report, enterprise = await own_report(uow, principal, spec, report_id, lock=True)
        if body.period != report.period:
            raise AppError(422, "report.period_immutable", "报表期间不能修改，请删除后重新填报")
        clock.ensure_open(_period(report))
        await amend_report(uow, spec, enterprise, report, body, late=clock.late(_period(report)))
        await uow.commit()
        return await report_view(uow, spec, report, clock.deadlines, clock.today)

    @router.delete("/{report_id}", status_code=204, summary=f"删除{spec.label}（截止日期前）")
    async def remove(report_id: str, principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow),
                     clock: Clock = Depends()):
        report, _ = await own_report(uow, principal, spec, report_id)
        clock.ensure_open(_period(report))
        await delete_report(uow, spec, report)
        await uow.commit()
        return Response(status_code=204)

    return router


def _period(report: Report) -> Period:
    return Period.parse(report.period)


ROUTERS = [build_router(spec) for spec in SPECS.values()]
ITEM_ROUTERS = [build_item_router(spec) for spec in SPECS.values()]
