"""Regional statistics: SQL ``GROUP BY`` over filed reports' lines, or over the transaction sums.

``source=reports`` (the default) totals what enterprises filed: the official figures.
``source=transactions`` totals the pre-fill sums of the enterprises that owe the kind, for
the kinds pre-filled from transactions: what the reports would say if every such
enterprise filed its draft unchanged (a cross-check on late or wrong reports).
``group_by=region`` groups by the level just below the requested region (SQL groups by
district, the roll-up to that level happens here).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from sqlalchemy import String, distinct, func, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.kinds import CATEGORIES, KindSpec
from ..domain.periods import Period
from ..domain.scope import region_label, sub_region
from ..models.catalog import CatalogBrand
from ..models.enterprises import EnterpriseKind
from ..models.facts import transaction_sums as sums
from ..models.reports import LINE_TABLES, Report
from .draft import WAN, shaped, sums_columns

AREA = Decimal("0.01")


def groupings(spec: KindSpec) -> tuple[str, ...]:
    first = ("category",) if spec.by_category else ("brand",) if spec.has_rows else ()
    return first + ("region", "month")


def sources(spec: KindSpec) -> tuple[str, ...]:
    return ("reports", "transactions") if spec.draft_source == "transactions" else ("reports",)


@dataclass(frozen=True)
class StatisticsQuery:
    spec: KindSpec
    period: Period
    scope: str
    group_by: str
    source: str = "reports"


def _plan(q: StatisticsQuery):
    """(table, measure sums, period column, period values, extra filters) for the source."""
    if q.source == "transactions":
        owed = select(EnterpriseKind.enterprise_id).where(EnterpriseKind.kind == q.spec.kind)
        return sums, sums_columns(q.spec), sums.c.month, q.period.months(), [sums.c.enterprise_id.in_(owed)]
    table = LINE_TABLES[q.spec.kind]
    measures = [func.coalesce(func.sum(table.c[m.name]), 0).label(m.name) for m in q.spec.measures]
    return table, measures, table.c.period, [str(p) for p in q.period.split(q.spec.cadence)], []


def _figures(q: StatisticsQuery, row) -> dict:
    if q.source == "transactions":
        return shaped(q.spec, row)
    out = {}
    for m in q.spec.measures:
        value = row[m.name] or 0
        out[m.name] = int(value) if m.unit == "count" else Decimal(value).quantize(WAN if m.unit == "wan" else AREA)
    return out


def _aggregate(q: StatisticsQuery, codes: frozenset[str] | None):
    """One statement: per (group, enterprise) sums (a hash aggregate, no DISTINCT sort over the
    raw rows), then per group, plus a total row whose key is NULL."""
    table, measures, period_col, periods, filters = _plan(q)
    filters = [period_col.in_(periods), *filters]
    if codes is not None:
        filters.append(table.c.region_code.in_(codes))
    group_col = {"category": lambda: table.c.category, "brand": lambda: table.c.brand_id,
                 "region": lambda: table.c.region_code, "month": lambda: period_col}[q.group_by]()
    per = (select(group_col.label("key"), table.c.enterprise_id, *measures).where(*filters)
           .group_by(table.c.enterprise_id, group_col).cte("per_enterprise"))
    totals = [func.sum(per.c[m.name]).label(m.name) for m in measures]
    grouped = select(per.c.key, func.count().label("enterprise_count"), *totals).group_by(per.c.key)
    overall = select(null().cast(String).label("key"), func.count(distinct(per.c.enterprise_id)), *totals)
    return union_all(grouped, overall)


async def _report_count(session: AsyncSession, q: StatisticsQuery, codes: frozenset[str] | None) -> int:
    query = select(func.count()).select_from(Report).where(
        Report.kind == q.spec.kind, Report.period.in_([str(p) for p in q.period.split(q.spec.cadence)]))
    if codes is not None:
        query = query.where(Report.region_code.in_(codes))
    return int(await session.scalar(query) or 0)


def _add(into: dict, figures: dict) -> None:
    for name, value in figures.items():
        into[name] = into.get(name, 0) + value


async def statistics(uow: UnitOfWork, q: StatisticsQuery) -> dict:
    session = uow.session
    codes = codes_within(q.scope)
    groups: dict[str, dict] = {}
    total: dict = {}
    for row in (await session.execute(_aggregate(q, codes))).mappings():
        if row["key"] is None:
            total = {**_figures(q, row), "enterprise_count": row["enterprise_count"]}
            continue
        key = sub_region(q.scope, row["key"]) if q.group_by == "region" else str(row["key"])
        group = groups.setdefault(key, {"key": key, "enterprise_count": 0})
        group["enterprise_count"] += row["enterprise_count"]
        _add(group, _figures(q, row))
    reports = total["enterprise_count"] if q.source == "transactions" else await _report_count(session, q, codes)
    return {"groups": await _labelled(session, q, groups), "report_count": reports, "totals": total}


async def _labelled(session: AsyncSession, q: StatisticsQuery, groups: dict[str, dict]) -> list[dict]:
    if q.group_by == "category":
        empty = {name: 0 for name in _figures(q, {m.name: 0 for m in q.spec.measures})}
        return [{**empty, "enterprise_count": 0, **groups.get(c, {}), "key": c, "label": label}
                for c, label in CATEGORIES.items()]
    if q.group_by == "brand":
        names = dict((await session.execute(
            select(CatalogBrand.id, CatalogBrand.name).where(CatalogBrand.id.in_(list(groups))))).all())
        labels = {key: names.get(key, key) for key in groups}
    elif q.group_by == "region":
        labels = {key: region_label(key) for key in groups}
    else:
        labels = {key: key for key in groups}
    order = sorted(groups, key=lambda k: (labels[k], k)) if q.group_by == "brand" else sorted(groups)
    return [{**groups[key], "label": labels[key]} for key in order]
