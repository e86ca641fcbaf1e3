"""A report as the API shows it: header, named rows, totals, and where it differs from the pre-fill."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..domain.kinds import CATEGORIES, KindSpec
from ..domain.periods import Deadlines, Period
from ..models.catalog import CatalogBrand, CatalogManufacturer, CatalogModel
from ..models.enterprises import Enterprise
from ..models.reports import Report
from .draft import draft_figures
from .lines import read_lines

NAME_SOURCES = (("manufacturer_id", "manufacturer_name", CatalogManufacturer),
                ("brand_id", "brand_name", CatalogBrand), ("model_id", "model_name", CatalogModel))


def totals(spec: KindSpec, rows: Sequence[Mapping]) -> dict:
    return {m.name: sum((row.get(m.name) or 0 for row in rows), 0 if m.unit == "count" else Decimal(0))
            for m in spec.measures}


async def named(uow: UnitOfWork, spec: KindSpec, rows: list[dict]) -> list[dict]:
    """Rows with the names of their category, supplier, brand and model."""
    for row in rows:
        if "category" in row:
            row["category_label"] = CATEGORIES.get(row["category"], row["category"])
    for key, name, model in NAME_SOURCES:
        if key in spec.keys and rows:
            ids = {row[key] for row in rows}
            names = dict((await uow.session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())
            for row in rows:
                row[name] = names.get(row[key], "")
    return rows


def discrepancies(spec: KindSpec, filed: Sequence[Mapping], expected: Sequence[Mapping]) -> list[dict]:
    """Pre-filled figures the enterprise reported differently from what its records sum to."""
    out = []
    by_key = {tuple(row.get(k) for k in spec.keys): row for row in expected}
    for row in filed:
        want = by_key.get(tuple(row.get(k) for k in spec.keys), {})
        for name in spec.prefilled:
            reported, summed = row.get(name) or 0, want.get(name) or 0
            if Decimal(reported) != Decimal(summed):
                out.append({"row": row.get("category"), "field": name, "label": spec.measure(name).label,
                            "reported": reported, "expected": summed, "source": spec.draft_source})
    return out


async def report_view(uow: UnitOfWork, spec: KindSpec, report: Report, deadlines: Deadlines,
                      today: date) -> dict:
    period = Period.parse(report.period)
    enterprise = await uow.session.get(Enterprise, report.enterprise_id)
    rows = await read_lines(uow.session, spec, report.id)
    view = {
        "id": report.id, "kind": spec.kind, "kind_label": spec.label, "period": report.period,
        "enterprise_id": report.enterprise_id, "enterprise_name": enterprise.name if enterprise else "",
        "region_code": report.region_code, "filler_name": report.filler_name, "filler_phone": report.filler_phone,
        "deadline": deadlines.due(period), "editable": not deadlines.locked(period, today),
        "late": report.late,
        "created_at": report.created_at, "updated_at": report.updated_at, "discrepancies": [],
    }
    if spec.draft_source:
        expected = await draft_figures(uow.session, spec, report.enterprise_id, period)
        view["discrepancies"] = discrepancies(spec, rows, expected)
    if spec.has_rows:
        return {**view, "rows": await named(uow, spec, rows), "totals": totals(spec, rows)}
    return {**view, **(rows[0] if rows else {})}


async def draft_view(uow: UnitOfWork, spec: KindSpec, enterprise: Enterprise, period: Period) -> dict:
    """The pre-fill of ``period``: named rows and totals, or the one line (with what the filing states)."""
    lines = await draft_figures(uow.session, spec, enterprise.enterprise_id, period)
    body = {"period": str(period), "source": spec.draft_source}
    if spec.has_rows:
        return {**body, "rows": await named(uow, spec, lines), "totals": totals(spec, lines)}
    return {**body, **lines[0], **from_filing(spec, enterprise)}


def from_filing(spec: KindSpec, enterprise: Enterprise) -> dict:
    """What the confirmed filing states of the figures the kind asks (营业面积, 驻场商户数量 for the market annual)."""
    figures = enterprise.filing_figures or {}
    return {name: figures[name] for name in ("business_area_m2", "resident_merchant_count")
            if figures.get(name) is not None and any(m.name == name for m in spec.measures)}


async def discrepant_reports(uow: UnitOfWork, spec: KindSpec, period: Period, codes: frozenset[str] | None
                             ) -> list[tuple[Report, str, list[dict]]]:
    """The reports of ``period`` (in the regions ``codes``, unless None) whose pre-filled figures differ from what
    the enterprise's records sum to: each with its enterprise's name and the differences, by region and name."""
    query = (select(Report, Enterprise.name).join(Enterprise, Enterprise.enterprise_id == Report.enterprise_id)
             .where(Report.kind == spec.kind, Report.period == str(period)))
    if codes is not None:
        query = query.where(Report.region_code.in_(codes))
    found = []
    for report, name in (await uow.session.execute(query.order_by(Report.region_code, Enterprise.name))).all():
        expected = await draft_figures(uow.session, spec, report.enterprise_id, period)
        if rows := discrepancies(spec, await read_lines(uow.session, spec, report.id), expected):
            found.append((report, name, rows))
    return found
