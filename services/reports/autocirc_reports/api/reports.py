"""Enterprises file, list, view, edit and delete their reports (officials may list and view
those of their region). One router per kind, so each kind's fields show in OpenAPI."""

import uuid
from datetime import UTC, datetime

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import rules
from ..domain.kinds import SPECS, KindSpec
from ..domain.periods import Period
from ..domain.scope import resolve_scope
from ..models.enterprises import Enterprise
from ..models.reports import Report
from ..usecases.catalogue import brand_choices, catalogue_errors
from ..usecases.draft import draft_figures
from ..usecases.lines import delete_lines, figure_rows, replace_lines
from ..usecases.views import named, report_view, totals
from .common import Clock, parse_period, reporting_enterprise
from .schemas import MODELS, FileablePeriod, ReportBrandChoice, ReportSummary

enterprises = require_kind("enterprise")
anyone = require_kind("enterprise", "official", "admin")
EXISTS = AppError(409, "report.exists", "该期报表已填报，请在列表中查看或修改")


async def figures_of(uow: UnitOfWork, spec: KindSpec, enterprise: Enterprise, body) -> list[dict]:
    """The body's lines, once every rule holds (else 422 naming each bad row and field)."""
    data = body.model_dump()
    errors = rules.check(spec, data)
    if "model_id" in spec.keys and not errors:
        errors = await catalogue_errors(uow.session, enterprise, data["rows"])
    if errors:
        raise field_errors(422, errors, detail="报表数据有误，请按提示修改")
    return figure_rows(spec, data)


async def own_report(uow: UnitOfWork, principal: Principal, spec: KindSpec, report_id: str, *,
                     lock: bool = False) -> tuple[Report, Enterprise]:
    enterprise = await reporting_enterprise(uow, principal, spec, lock=lock)
    report = await uow.session.get(Report, report_id)
    if report is None or report.kind != spec.kind or report.enterprise_id != principal.enterprise_id:
        raise not_found("报表")
    return report, enterprise


async def visible_report(uow: UnitOfWork, principal: Principal, spec: KindSpec, report_id: str) -> Report:
    if principal.kind == "enterprise":
        return (await own_report(uow, principal, spec, report_id))[0]
    report = await uow.session.get(Report, report_id)
    if report is None or report.kind != spec.kind:
        raise not_found("报表")
    if not covers(principal, report.region_code):
        raise AppError(403, "region.forbidden", "该企业不在您的管辖区域内")
    return report


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
        query = select(Report).where(Report.kind == spec.kind)
        if principal.kind == "enterprise":
            await reporting_enterprise(uow, principal, spec)
            query = query.where(Report.enterprise_id == principal.enterprise_id)
        elif (codes := codes_within(resolve_scope(principal, region_code))) is not None:
            query = query.where(Report.region_code.in_(codes))
        if year:
            query = query.where(Report.year == year)
        if month and spec.cadence == "month":
            query = query.where(Report.month == month)
        elif month and spec.cadence == "quarter":
            query = query.where(Report.quarter == (month - 1) // 3 + 1)
        reports, total = await paginate(uow.session, query.order_by(Report.period.desc(), Report.created_at), params)
        ids = {r.enterprise_id for r in reports}
        names = dict((await uow.session.execute(select(Enterprise.enterprise_id, Enterprise.name).where(
            Enterprise.enterprise_id.in_(ids)))).all()) if ids else {}
        items = [_summary(r, names.get(r.enterprise_id, ""), clock, _period(r)) for r in reports]
        return Page(items=items, total=total, **params.model_dump())

    @router.post("", status_code=201, response_model=models.report_out, summary=f"填报{spec.label}")
    async def create(body: models.body_in, principal: Principal = Depends(enterprises),  # type: ignore[valid-type]
                     uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        enterprise = await reporting_enterprise(uow, principal, spec, lock=True)
        period = parse_period(spec, body.period, clock.today)
        clock.ensure_open(period)
        taken = await uow.session.scalar(select(Report.id).where(
            Report.enterprise_id == enterprise.enterprise_id, Report.kind == spec.kind, Report.period == str(period)))
        if taken:
            raise EXISTS
        lines = await figures_of(uow, spec, enterprise, body)
        report = Report(id=str(uuid.uuid4()), enterprise_id=enterprise.enterprise_id, kind=spec.kind,
                        period=str(period), year=period.year, month=period.month, quarter=period.quarter,
                        region_code=enterprise.region_code, filler_name=body.filler_name,
                        filler_phone=body.filler_phone, late=clock.late(period))
        uow.session.add(report)
        try:
            await uow.session.flush()
        except IntegrityError:
            raise EXISTS from None
        await replace_lines(uow.session, spec, report, lines)
        await uow.commit()
        return await report_view(uow.session, spec, report, clock.deadlines, clock.today)

    @router.get("/draft", response_model=models.draft_out, summary=f"{spec.label}预填（按本企业交易记录汇总）")
    async def draft(period: str = Query(..., description="报表期间"), principal: Principal = Depends(enterprises),
                    uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        enterprise = await reporting_enterprise(uow, principal, spec)
        period_ = parse_period(spec, period, clock.today, filing=False)
        lines = await draft_figures(uow.session, spec, enterprise.enterprise_id, period_)
        body = {"period": str(period_), "source": spec.draft_source}
        if spec.has_rows:
            return {**body, "rows": await named(uow.session, spec, lines), "totals": totals(spec, lines)}
        return {**body, **lines[0], **from_filing(spec, enterprise)}

    @router.get("/periods", response_model=list[FileablePeriod],
                summary=f"可填报{spec.label}的期间（已开始、未截止或可迟报、尚未填报；年报为已结束的年度）")
    async def periods(principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow),
                      clock: Clock = Depends()):
        enterprise = await reporting_enterprise(uow, principal, spec)
        filed = set((await uow.session.scalars(select(Report.period).where(
            Report.enterprise_id == enterprise.enterprise_id, Report.kind == spec.kind))).all())
        return [FileablePeriod(period=str(p), deadline=clock.deadlines.due(p), late=clock.deadlines.late(p, clock.today))
                for p in clock.deadlines.fileable(spec.cadence, clock.today) if str(p) not in filed]

    if "model_id" in spec.keys:
        @router.get("/choices", response_model=list[ReportBrandChoice], summary="可填报的供应商、品牌、车型和排量")
        async def choices(principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow)):
            return await brand_choices(uow.session, await reporting_enterprise(uow, principal, spec))

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
        return await report_view(uow.session, spec, report, clock.deadlines, clock.today)

    @router.put("/{report_id}", response_model=models.report_out, summary=f"修改{spec.label}（截止日期前）")
    async def update(report_id: str, body: models.body_in,  # type: ignore[valid-type]
                     principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow),
                     clock: Clock = Depends()):
        report, enterprise = await own_report(uow, principal, spec, report_id, lock=True)
        if body.period != report.period:
            raise AppError(422, "report.period_immutable", "报表期间不能修改，请删除后重新填报")
        clock.ensure_open(_period(report))
        lines = await figures_of(uow, spec, enterprise, body)
        report.filler_name, report.filler_phone = body.filler_name, body.filler_phone
        report.updated_at = datetime.now(UTC)
        report.late = report.late or clock.late(_period(report))
        await replace_lines(uow.session, spec, report, lines)
        await uow.commit()
        return await report_view(uow.session, spec, report, clock.deadlines, clock.today)

    @router.delete("/{report_id}", status_code=204, summary=f"删除{spec.label}（截止日期前）")
    async def remove(report_id: str, principal: Principal = Depends(enterprises), uow: UnitOfWork = Depends(get_uow),
                     clock: Clock = Depends()):
        report, _ = await own_report(uow, principal, spec, report_id)
        clock.ensure_open(_period(report))
        await delete_lines(uow.session, spec, report.id)
        await uow.session.delete(report)
        await uow.commit()
        return Response(status_code=204)

    return router


def from_filing(spec: KindSpec, enterprise: Enterprise) -> dict:
    """What the confirmed filing states of the figures the kind asks (营业面积, 驻场商户数量 for the market annual)."""
    figures = enterprise.filing_figures or {}
    return {name: figures[name] for name in ("business_area_m2", "resident_merchant_count")
            if figures.get(name) is not None and any(m.name == name for m in spec.measures)}


def _period(report: Report) -> Period:
    return Period.parse(report.period)


ROUTERS = [build_router(spec) for spec in SPECS.values()]
ITEM_ROUTERS = [build_item_router(spec) for spec in SPECS.values()]
