"""Pre-fill: a report's figures summed from the enterprise's transaction sums (or monthly reports).

Only the sums tables are read (an index range per enterprise and month), never the facts,
so a draft costs the same with a million transactions as with ten. Quarterly and annual
drafts sum their months.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.kinds import CATEGORIES, KindSpec
from ..domain.periods import Period
from ..models.facts import transaction_sums as sums
from ..models.reports import LINE_TABLES
from .lines import zero_row

WAN = Decimal("0.0001")
# measure -> the column it is summed from, where the names differ
FROM_SUMS = {"amount_wan": "amount_yuan", "trade_count": "count", "trade_amount_wan": "amount_yuan"}
FROM_MONTHLY = {"sales_count": "count", "sales_amount_wan": "amount_wan"}


def to_wan(yuan) -> Decimal:
    """Yuan as 万元, rounded half up (四舍五入) to 4 decimals."""
    return (Decimal(yuan or 0) / 10000).quantize(WAN, rounding=ROUND_HALF_UP)


def sums_columns(spec: KindSpec, table=sums) -> list:
    """``SUM(...)`` of every pre-filled measure, labelled with the measure's name."""
    columns = []
    for name in spec.prefilled:
        source = FROM_SUMS.get(name, name) if table is sums else FROM_MONTHLY.get(name, name)
        columns.append(func.coalesce(func.sum(table.c[source]), 0).label(name))
    return columns


def shaped(spec: KindSpec, row, from_yuan: bool = True) -> dict:
    """Summed values as report figures: whole counts, 万元 with 4 decimals (converted from yuan)."""
    out = {}
    for name in spec.prefilled:
        value = row[name] if row is not None else 0
        if spec.measure(name).unit != "wan":
            out[name] = int(value or 0)
        else:
            out[name] = to_wan(value) if from_yuan else Decimal(value or 0).quantize(WAN)
    return out


async def draft_figures(session: AsyncSession, spec: KindSpec, enterprise_id: str, period: Period) -> list[dict]:
    """The draft's lines (all categories for category kinds; one line for annual kinds)."""
    if spec.draft_source == "transactions":
        where = (sums.c.enterprise_id == enterprise_id, sums.c.month.in_(period.months()))
        if spec.by_category:
            query = select(sums.c.category, *sums_columns(spec)).where(*where).group_by(sums.c.category)
            found = {row["category"]: row for row in (await session.execute(query)).mappings()}
            return [{**zero_row(spec, category=c), **shaped(spec, found.get(c))} for c in CATEGORIES]
        row = (await session.execute(select(*sums_columns(spec)).where(*where))).mappings().one()
        return [{**zero_row(spec), **shaped(spec, row)}]
    if spec.draft_source == "monthly_reports":
        lines = LINE_TABLES["new-car-monthly"]
        months = [str(p) for p in period.split("month")]
        query = select(*sums_columns(spec, lines)).where(lines.c.enterprise_id == enterprise_id,
                                                          lines.c.period.in_(months))
        row = (await session.execute(query)).mappings().one()
        return [{**zero_row(spec), **shaped(spec, row, from_yuan=False)}]
    if spec.by_category:
        return [zero_row(spec, category=c) for c in CATEGORIES]
    return [] if spec.has_rows else [zero_row(spec)]
