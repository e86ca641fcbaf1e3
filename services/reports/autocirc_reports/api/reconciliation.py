"""Officials: filed reports whose figures differ from what the enterprise's own records sum to (对账)."""

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within, full_name
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..domain.kinds import SPECS, KindSpec
from ..domain.scope import resolve_scope
from ..usecases.views import discrepant_reports
from .common import Clock, parse_period
from .schemas import ReportDiscrepancies

officials = require_kind("official", "admin")


def build_router(spec: KindSpec) -> APIRouter:
    router = APIRouter(tags=[f"报表：{spec.label}"])

    @router.get(f"/api/v1/reports/{spec.kind}/discrepancies", response_model=Page[ReportDiscrepancies],
                summary=f"辖区内填报数与{'交易记录' if spec.draft_source == 'transactions' else '月报'}汇总不一致的{spec.label}")
    async def listing(period: str = Query(..., description="报表期间"),
                      region_code: str | None = Query(None, max_length=6, description="地区（默认本辖区）"),
                      principal: Principal = Depends(officials), params: PageParams = Depends(page_params),
                      uow: UnitOfWork = Depends(get_uow), clock: Clock = Depends()):
        period_ = parse_period(spec, period, clock.today, filing=False)
        codes = codes_within(resolve_scope(principal, region_code))
        found = [ReportDiscrepancies(report_id=report.id, enterprise_id=report.enterprise_id, enterprise_name=name,
                                     region_code=report.region_code, region_name=full_name(report.region_code),
                                     period=report.period, late=report.late, discrepancies=rows)
                 for report, name, rows in await discrepant_reports(uow, spec, period_, codes)]
        start = (params.page - 1) * params.page_size
        return Page(items=found[start:start + params.page_size], total=len(found), **params.model_dump())

    return router


# Kinds pre-filled from the enterprise's records (transactions, or its monthly reports) only.
ROUTERS = [build_router(spec) for spec in SPECS.values() if spec.draft_source]
