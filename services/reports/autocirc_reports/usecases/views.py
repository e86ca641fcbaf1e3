"""A report as the API shows it: header, named rows, totals, and where it differs from the pre-fill."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def named(session: AsyncSession, spec: KindSpec, rows: list[dict]) -> list[dict]:
    """Rows with the names of their category, supplier, brand and model."""
    for row in rows:
        if "category" in row:
            row["category_label"] = CATEGORIES.get(row["category"], row["category"])
    for key, name, model in NAME_SOURCES:
        if key in spec.keys and rows:
            ids = {row[key] for row in rows}
            names = dict((await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())
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


async def report_view(session: AsyncSession, spec: KindSpec, report: Report, deadlines: Deadlines,
                      today: date) -> dict:
    period = Period.parse(report.period)
    enterprise = await session.get(Enterprise, report.enterprise_id)
    rows = await read_lines(session, spec, report.id)
    view = {
        "id": report.id, "kind": spec.kind, "kind_label": spec.label, "period": report.period,
        "enterprise_id": report.enterprise_id, "enterprise_name": enterprise.name if enterprise else "",
        "region_code": report.region_code, "filler_name": report.filler_name, "filler_phone": report.filler_phone,
        "deadline": deadlines.due(period), "editable": not deadlines.locked(period, today),
        "late": report.late,
        "created_at": report.created_at, "updated_at": report.updated_at, "discrepancies": [],
    }
    if spec.draft_source:
        expected = await draft_figures(session, spec, report.enterprise_id, period)
        view["discrepancies"] = discrepancies(spec, rows, expected)
    if spec.has_rows:
        return {**view, "rows": await named(session, spec, rows), "totals": totals(spec, rows)}
    return {**view, **(rows[0] if rows else {})}
