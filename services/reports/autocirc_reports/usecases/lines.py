"""A report's figures as rows of its kind's line table (the only copy of them)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.kinds import CATEGORIES, KindSpec
from ..models.reports import LINE_TABLES, Report


def zero_row(spec: KindSpec, **keys) -> dict:
    return {**keys, **{m.name: (0 if m.unit == "count" else Decimal(0)) for m in spec.measures}}


def normalised(spec: KindSpec, rows: Sequence[Mapping]) -> list[dict]:
    """Category kinds: one row per category, in the form's order, zeros where none was given."""
    if not spec.by_category:
        return [dict(row) for row in rows]
    given = {row["category"]: dict(row) for row in rows}
    return [given.get(c) or zero_row(spec, category=c) for c in CATEGORIES]


def figure_rows(spec: KindSpec, figures: Mapping) -> list[dict]:
    """The lines a body stands for: its rows, or its one set of figures (annual kinds)."""
    if spec.has_rows:
        return normalised(spec, figures.get("rows") or [])
    return [{m.name: figures[m.name] for m in spec.measures}]


async def replace_lines(session: AsyncSession, spec: KindSpec, report: Report, rows: Sequence[Mapping]) -> None:
    table = LINE_TABLES[spec.kind]
    await session.execute(delete(table).where(table.c.report_id == report.id))
    columns = set(spec.keys) | {m.name for m in spec.measures}
    values = [{"report_id": report.id, "line_no": i, "enterprise_id": report.enterprise_id, "period": report.period,
               "region_code": report.region_code, **{k: v for k, v in row.items() if k in columns}}
              for i, row in enumerate(rows)]
    if values:
        await session.execute(insert(table), values)


async def delete_lines(session: AsyncSession, spec: KindSpec, report_id: str) -> None:
    table = LINE_TABLES[spec.kind]
    await session.execute(delete(table).where(table.c.report_id == report_id))


async def read_lines(session: AsyncSession, spec: KindSpec, report_id: str) -> list[dict]:
    table = LINE_TABLES[spec.kind]
    columns = [table.c[k] for k in spec.keys] + [table.c[m.name] for m in spec.measures]
    result = await session.execute(select(*columns).where(table.c.report_id == report_id).order_by(table.c.line_no))
    return [dict(row) for row in result.mappings()]
