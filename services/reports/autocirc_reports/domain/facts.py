"""What one transaction adds to its enterprise's monthly sums (the report pre-fill).

Age bands compare the trade date with the first registration's anniversaries:
``age_le_3`` traded on or before the 3rd anniversary; ``age_3_5`` after it up to and
including the 5th; ``age_5_10`` after the 5th up to and including the 10th; ``age_gt_10``
after the 10th. A 29 February registration has its anniversary on 28 February in common
years; a trade date before the registration date (a data error upstream) counts as ≤ 3 years.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from autocirc_shared.events.transactions import TransactionFacts

AGE_BANDS = ("age_le_3", "age_3_5", "age_5_10", "age_gt_10")
COUNTERS = ("count", "direct_count", "consignment_count", "local_transfer_count", "out_transfer_count",
            "operating_count", "non_operating_count", "domestic_count", "imported_count") + AGE_BANDS
SUM_COLUMNS = ("amount_yuan",) + COUNTERS


def anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return start.replace(year=start.year + years, day=28)


def age_band(first_registration: date, trade_date: date) -> str:
    if trade_date <= anniversary(first_registration, 3):
        return "age_le_3"
    if trade_date <= anniversary(first_registration, 5):
        return "age_3_5"
    if trade_date <= anniversary(first_registration, 10):
        return "age_5_10"
    return "age_gt_10"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class SumKey:
    enterprise_id: str
    month: str
    category: str


def buckets(facts: TransactionFacts) -> tuple[str, ...]:
    """The counters a transaction adds 1 to (every other one it leaves alone)."""
    return ("count", f"{facts.trade_type}_count", "local_transfer_count" if facts.transfer == "local"
            else "out_transfer_count", f"{facts.usage}_count", f"{facts.origin}_count",
            age_band(facts.first_registration_date, facts.trade_date))


def contribution(facts: TransactionFacts) -> dict[str, Decimal | int]:
    """One transaction's share of its sums row: 1 in each bucket it falls into, and its price."""
    values: dict[str, Decimal | int] = {c: 0 for c in COUNTERS}
    values["amount_yuan"] = facts.amount_yuan
    for name in buckets(facts):
        values[name] = 1
    return values


def key_of(facts: TransactionFacts) -> SumKey:
    return SumKey(facts.enterprise_id, month_of(facts.trade_date), facts.report_category)


def net_deltas(old: TransactionFacts | None, new: TransactionFacts | None) -> list[tuple[SumKey, str, dict[str, Decimal | int]]]:
    """Changes to sums rows, sorted by key (a fixed lock order): minus the old facts, plus the new.

    Each item is ``(key, region_code, deltas)``; rows whose deltas are all zero are left out.
    """
    merged: dict[SumKey, tuple[str, dict[str, Decimal | int]]] = {}
    for facts, sign in ((old, -1), (new, 1)):
        if facts is None:
            continue
        key = key_of(facts)
        region, deltas = merged.get(key, (facts.region_code, {c: 0 for c in SUM_COLUMNS}))
        for column, value in contribution(facts).items():
            deltas[column] += sign * value
        merged[key] = (facts.region_code if sign > 0 else region, deltas)
    return [(key, region, deltas) for key, (region, deltas) in sorted(merged.items(), key=_order)
            if any(deltas.values())]


def _order(item: tuple[SumKey, tuple[str, dict[str, Decimal | int]]]) -> tuple[str, str, str]:
    key = item[0]
    return key.enterprise_id, key.month, key.category


@dataclass(frozen=True)
class Change:
    """A transaction's state as of ``version``: its facts, or None once deleted."""

    transaction_id: str
    enterprise_id: str
    version: int
    facts: TransactionFacts | None


def newest(changes: Iterable[Change]) -> list[Change]:
    """The newest change of each transaction, sorted by transaction id (a fixed lock order).

    Sums depend only on each transaction's current state, so the versions between the stored one and the
    newest in a batch need not be applied one after the other."""
    latest: dict[str, Change] = {}
    for change in changes:
        held = latest.get(change.transaction_id)
        if held is None or change.version > held.version:
            latest[change.transaction_id] = change
    return [latest[key] for key in sorted(latest)]


class SumDeltas:
    """What a batch changes in the sums rows, added up in memory so each row is written once per batch."""

    def __init__(self) -> None:
        self._rows: dict[SumKey, tuple[str, dict[str, Decimal | int]]] = {}

    def add(self, old: TransactionFacts | None, new: TransactionFacts | None) -> None:
        if old is None and new is not None:  # a transaction not seen before (an import's): its buckets, in place
            key = key_of(new)  # what net_deltas(None, new) gives: 6.3-7.3 µs a fact instead of 9.2
            held = self._rows.get(key)
            total: dict[str, Decimal | int] = held[1] if held is not None else dict.fromkeys(SUM_COLUMNS, 0)
            total["amount_yuan"] += new.amount_yuan
            for name in buckets(new):
                total[name] += 1
            self._rows[key] = (new.region_code, total)
            return
        for key, region, deltas in net_deltas(old, new):
            _, total = self._rows.get(key, (region, {c: 0 for c in SUM_COLUMNS}))
            for column, value in deltas.items():
                total[column] += value
            self._rows[key] = (region, total)

    def rows(self) -> list[tuple[SumKey, str, dict[str, Decimal | int]]]:
        """``(key, region_code, deltas)`` sorted by key, rows whose deltas add up to nothing left out."""
        return [(key, region, deltas) for key, (region, deltas) in sorted(self._rows.items(), key=_order)
                if any(deltas.values())]
