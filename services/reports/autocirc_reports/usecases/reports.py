"""Filing, amending and deleting an enterprise's reports, and finding the reports a caller may see (each in the
caller's unit of work; the caller commits)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import rules
from ..domain.kinds import KindSpec
from ..domain.periods import Period
from ..domain.scope import resolve_scope
from ..models.enterprises import Enterprise
from ..models.reports import Report
from .catalogue import catalogue_errors
from .lines import delete_lines, figure_rows, replace_lines

EXISTS = AppError(409, "report.exists", "该期报表已填报，请在列表中查看或修改")


async def reporting_enterprise(uow: UnitOfWork, principal: Principal, spec: KindSpec, *,
                               lock: bool = False) -> Enterprise:
    """The caller's enterprise, if its filing was confirmed and its types owe this kind. ``lock``
    (writes): share-locked, so a concurrent region move waits until the report is stored, or the
    write until the move is done."""
    enterprise = await uow.session.get(Enterprise, principal.enterprise_id,
                                       with_for_update={"read": True} if lock else None)
    if enterprise is None or not enterprise.confirmed:
        raise AppError(403, "filing.not_confirmed", "备案信息经商务主管部门确认后才能填报报表")
    if not spec.filers & set(enterprise.types or principal.types):
        raise AppError(403, "report.not_applicable", f"贵企业的类型无需填报{spec.label}")
    return enterprise


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


async def list_filed(uow: UnitOfWork, spec: KindSpec, principal: Principal, region_code: str | None,
                     year: int | None, month: int | None, params: PageParams
                     ) -> tuple[list[Report], dict[str, str], int]:
    """One page of the reports of this kind the caller may see (an enterprise its own, an official its region's),
    the enterprises' names, and the total."""
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
    return reports, names, total


async def file_report(uow: UnitOfWork, spec: KindSpec, enterprise: Enterprise, period: Period, body, *,
                      late: bool) -> Report:
    """A new report of ``period`` with the body's lines (409 ``report.exists`` if that period is filed)."""
    taken = await uow.session.scalar(select(Report.id).where(
        Report.enterprise_id == enterprise.enterprise_id, Report.kind == spec.kind, Report.period == str(period)))
    if taken:
        raise EXISTS
    lines = await figures_of(uow, spec, enterprise, body)
    report = Report(id=str(uuid.uuid4()), enterprise_id=enterprise.enterprise_id, kind=spec.kind,
                    period=str(period), year=period.year, month=period.month, quarter=period.quarter,
                    region_code=enterprise.region_code, filler_name=body.filler_name,
                    filler_phone=body.filler_phone, late=late)
    uow.session.add(report)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise EXISTS from None
    await replace_lines(uow.session, spec, report, lines)
    return report


async def amend_report(uow: UnitOfWork, spec: KindSpec, enterprise: Enterprise, report: Report, body, *,
                       late: bool) -> None:
    """The body's filler and lines replace the report's (late once, late for good)."""
    lines = await figures_of(uow, spec, enterprise, body)
    report.filler_name, report.filler_phone = body.filler_name, body.filler_phone
    report.updated_at = datetime.now(UTC)
    report.late = report.late or late
    await replace_lines(uow.session, spec, report, lines)


async def delete_report(uow: UnitOfWork, spec: KindSpec, report: Report) -> None:
    await delete_lines(uow.session, spec, report.id)
    await uow.session.delete(report)


async def filed_periods(uow: UnitOfWork, spec: KindSpec, enterprise: Enterprise) -> set[str]:
    return set((await uow.session.scalars(select(Report.period).where(
        Report.enterprise_id == enterprise.enterprise_id, Report.kind == spec.kind))).all())
