"""Officials: who has not filed, and the region's statistics (JSON and a workbook)."""

from typing import Literal

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within, full_name
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..domain.kinds import SPECS, KindSpec
from ..domain.scope import region_label, resolve_scope
from ..usecases.owing import missing_page
from ..usecases.statistics import StatisticsQuery, groupings, sources, statistics
from .common import Clock, parse_period
from .schemas import MODELS, MissingEnterprise
from .workbook import xlsx_response

officials = require_kind("official", "admin")
GROUP_LABELS = {"category": "车辆类别", "brand": "品牌", "region": "地区", "month": "期间"}


def statistics_params(spec: KindSpec):
    GroupBy = Literal[groupings(spec)]  # type: ignore[valid-type]
    Source = Literal[sources(spec)]  # type: ignore[valid-type]

    async def dependency(period: str = Query(..., description="统计期间：YYYY-MM / YYYY-Qn / YYYY（不细于报表周期）"),
                         region_code: str | None = Query(None, max_length=6, description="地区（默认本辖区）"),
                         group_by: GroupBy = Query(groupings(spec)[0], description="分组方式"),  # type: ignore
                         source: Source = Query("reports", description="reports 已报报表；transactions 交易记录汇总"),  # type: ignore
                         principal: Principal = Depends(officials), clock: Clock = Depends()) -> StatisticsQuery:
        return StatisticsQuery(spec, parse_period(spec, period, clock.today, coarser=True, filing=False),
                               resolve_scope(principal, region_code), group_by, source)

    return dependency


async def statistics_body(uow: UnitOfWork, q: StatisticsQuery) -> dict:
    result = await statistics(uow, q)
    return {"kind": q.spec.kind, "period": str(q.period), "region_code": q.scope, "region_name": region_label(q.scope),
            "group_by": q.group_by, "source": q.source, **result}


def build_router(spec: KindSpec) -> APIRouter:
    router = APIRouter(tags=[f"报表：{spec.label}"])
    params_of = statistics_params(spec)

    @router.get(f"/api/v1/reports/{spec.kind}/missing", response_model=Page[MissingEnterprise],
                summary=f"辖区内应报未报{spec.label}的企业")
    async def missing(period: str = Query(..., description="报表期间"),
                      region_code: str | None = Query(None, max_length=6, description="地区（默认本辖区）"),
                      principal: Principal = Depends(officials), params: PageParams = Depends(page_params),
                      uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        period_ = parse_period(spec, period, clock.today, filing=False)
        codes = codes_within(resolve_scope(principal, region_code))
        due = clock.deadlines.due(period_)
        rows, total = await missing_page(uow, spec.kind, str(period_), codes, params)
        items = [MissingEnterprise(enterprise_id=e.enterprise_id, name=e.name, uscc=e.uscc, region_code=e.region_code,
                                   region_name=full_name(e.region_code), confirmed_on=e.first_confirmed_on,
                                   deadline=due, overdue=clock.today > due) for e in rows]
        return Page(items=items, total=total, **params.model_dump())

    @router.get(f"/api/v1/statistics/{spec.kind}", response_model=MODELS[spec.kind].statistics_out,
                summary=f"{spec.label}统计（辖区汇总）")
    async def region_statistics(q: StatisticsQuery = Depends(params_of), uow: UnitOfWork = Depends(get_uow)):
        return await statistics_body(uow, q)

    @router.get(f"/api/v1/statistics/{spec.kind}/export.xlsx", summary=f"导出{spec.label}统计（Excel）",
                responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
    async def export(q: StatisticsQuery = Depends(params_of), principal: Principal = Depends(officials),
                     uow: UnitOfWork = Depends(get_uow)):
        body = await statistics_body(uow, q)
        await record_audit(uow, principal, "statistics.export", f"statistics:{spec.kind}", q.scope,
                           {"kind": spec.kind, "period": body["period"], "group_by": q.group_by, "source": q.source})
        await uow.commit()
        header = [GROUP_LABELS[q.group_by], "企业数"] + [m.label for m in spec.measures]
        rows = [[g["label"], g["enterprise_count"]] + [_cell(g.get(m.name)) for m in spec.measures]
                for g in body["groups"]]
        rows.append(["合计", body["totals"]["enterprise_count"]] + [_cell(body["totals"].get(m.name))
                                                                 for m in spec.measures])
        source = "已报报表" if q.source == "reports" else "交易记录汇总"
        title = f"{spec.label}统计 {body['period']} {body['region_name']}（数据来源：{source}）"
        return await xlsx_response(f"{spec.label}统计_{body['period']}.xlsx", "统计", title, header, rows)

    return router


def _cell(value):
    return None if value is None else (value if isinstance(value, int) else float(value))


ROUTERS = [build_router(spec) for spec in SPECS.values()]
