"""Cross-field rules of a report: parts add up to the count, amounts look like 万元.

Field shapes (non-negative whole counts, at most 4 decimals in 万元) are checked by the
request schema; these rules see whole rows and name the row and field that is wrong.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from autocirc_shared.errors import FieldError

from .kinds import CATEGORIES, KindSpec

# No vehicle costs 1 亿元: an average above this per vehicle was keyed in 元, not 万元.
MAX_WAN_PER_VEHICLE = Decimal(10000)
COUNT_OF = {"amount_wan": "count", "trade_amount_wan": "trade_count", "sales_amount_wan": "sales_count"}


def row_label(spec: KindSpec, row: Mapping[str, Any]) -> str:
    if spec.by_category:
        return CATEGORIES.get(row.get("category", ""), str(row.get("category")))
    return "" if not spec.has_rows else "第{}行".format(row.get("_index", 0) + 1)


def add_up_errors(spec: KindSpec, row: Mapping[str, Any], prefix: str) -> list[FieldError]:
    errors = []
    where = row_label(spec, row)
    for rule in spec.add_ups:
        parts = sum(int(row.get(p) or 0) for p in rule.parts)
        total = int(row.get(rule.total) or 0)
        if parts != total:
            names = "、".join(spec.measure(p).label for p in rule.parts)
            errors.append(FieldError(
                field=f"{prefix}{rule.parts[0]}", code="report.inconsistent",
                message=f"{where}：{names}之和（{parts}）应等于{spec.measure(rule.total).label}（{total}）".lstrip("：")))
    return errors


def amount_errors(spec: KindSpec, row: Mapping[str, Any], prefix: str) -> list[FieldError]:
    errors = []
    where = row_label(spec, row)
    for amount, count_name in COUNT_OF.items():
        if amount not in row or count_name not in row:
            continue
        value, count = Decimal(row.get(amount) or 0), int(row.get(count_name) or 0)
        if value > 0 and count == 0:
            errors.append(FieldError(field=f"{prefix}{count_name}", code="report.inconsistent",
                                     message=f"{where}：填写了金额但数量为0".lstrip("：")))
        elif count and value / count > MAX_WAN_PER_VEHICLE:
            errors.append(FieldError(field=f"{prefix}{amount}", code="report.unit",
                                     message=f"{where}：平均每辆超过1亿元，金额单位为万元，请勿按元填写".lstrip("：")))
    return errors


def duplicate_errors(spec: KindSpec, rows: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    errors, seen = [], set()
    for i, row in enumerate(rows):
        key = tuple(str(row.get(k)) for k in spec.keys)
        if key in seen:
            errors.append(FieldError(field=f"rows.{i}", code="report.row_duplicate",
                                     message=f"{row_label(spec, {**row, '_index': i})}：与前面的行重复"))
        seen.add(key)
    return errors


def check(spec: KindSpec, body: Mapping[str, Any]) -> list[FieldError]:
    """Every rule violation of a report body (``rows`` or, for annual kinds, the figures themselves)."""
    if not spec.has_rows:
        return add_up_errors(spec, body, "") + amount_errors(spec, body, "")
    rows = list(body.get("rows") or [])
    errors = duplicate_errors(spec, rows)
    for i, row in enumerate(rows):
        indexed = {**row, "_index": i}
        errors += add_up_errors(spec, indexed, f"rows.{i}.") + amount_errors(spec, indexed, f"rows.{i}.")
    return errors
