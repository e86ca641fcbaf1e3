"""Plausibility of one vehicle's recorded sales (pure rules, no I/O).

A VIN's sales across enterprises form its history. The odometer should never go back between two sales
(调表, the best-known fraud of the used-car trade); two enterprises selling the same car on the same day,
or a plate that changes between sales, deserve an official's look. The same rules warn a clerk at entry,
naming nothing of the other enterprises' records.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Verdict = Literal["consistent", "inconsistent", "unknown"]


@dataclass(frozen=True)
class Sale:
    """One recorded sale of a vehicle, as the rules need it (sorted by ``trade_date``, then ``order``)."""

    enterprise_id: str
    trade_date: date
    mileage_km: Decimal | None
    plate_number: str | None
    order: float = 0.0  # tie-break within a day: when it was reported


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    field: str = "vehicle.vin"  # the field of the record it is about (a batch's warnings name it)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def _km(value: Decimal) -> str:
    return f"{value.normalize():f}"


def chronological(sales: list[Sale]) -> list[Sale]:
    return sorted(sales, key=lambda sale: (sale.trade_date, sale.order))


def _mileage_drops(sales: list[Sale]) -> list[Finding]:
    """Each sale whose mileage is below the highest mileage recorded on an earlier day."""
    found: list[Finding] = []
    highest: Decimal | None = None
    highest_on: date | None = None  # set with highest
    by_day: dict[date, list[Sale]] = {}
    for sale in sales:
        by_day.setdefault(sale.trade_date, []).append(sale)
    for day in sorted(by_day):
        known = [sale.mileage_km for sale in by_day[day] if sale.mileage_km is not None]
        if not known:
            continue
        lowest = min(known)
        if highest is not None and highest_on is not None and lowest < highest:
            found.append(Finding("mileage.decreased",
                                 f"{day.isoformat()}记录的表显里程{_km(lowest)}公里低于"
                                 f"{highest_on.isoformat()}记录的{_km(highest)}公里（里程倒退，疑似调表）"))
        if highest is None or max(known) > highest:
            highest, highest_on = max(known), day
    return found


def _same_day_trades(sales: list[Sale]) -> list[Finding]:
    enterprises: dict[date, set[str]] = {}
    for sale in sales:
        enterprises.setdefault(sale.trade_date, set()).add(sale.enterprise_id)
    return [Finding("vin.traded_twice_same_day", f"{day.isoformat()}有{len(ids)}家企业记录了该车辆的交易")
            for day, ids in sorted(enterprises.items()) if len(ids) > 1]


def _plate_changes(sales: list[Sale]) -> list[Finding]:
    found, previous = [], None
    for sale in sales:
        if not sale.plate_number:
            continue
        if previous is not None and sale.plate_number != previous.plate_number:
            found.append(Finding("plate.changed", f"{previous.trade_date.isoformat()}至{sale.trade_date.isoformat()}"
                                                  "之间车牌照号发生变更"))
        previous = sale
    return found


def findings(sales: list[Sale]) -> list[Finding]:
    """Every finding of a vehicle's history, mileage first."""
    ordered = chronological(sales)
    return _mileage_drops(ordered) + _same_day_trades(ordered) + _plate_changes(ordered)


def mileage_verdict(sales: list[Sale]) -> Verdict:
    """``unknown`` with fewer than two recorded mileages, ``inconsistent`` when the odometer went back."""
    if sum(1 for sale in sales if sale.mileage_km is not None) < 2:
        return "unknown"
    return "inconsistent" if _mileage_drops(chronological(sales)) else "consistent"


# A new car is registered within days of its purchase (temporary plates last 15 days, renewed at most twice):
# a first purchase more than this before the first registration is implausible, a typing error most often.
PURCHASE_BEFORE_REGISTRATION_DAYS = 90


def date_warnings(first_registration: date | None, purchase: date | None) -> list[Finding]:
    """The record's own dates: the first purchase long before the first registration (stored, but warned)."""
    if first_registration is None or purchase is None:
        return []
    if (first_registration - purchase).days > PURCHASE_BEFORE_REGISTRATION_DAYS:
        return [Finding("date.purchase_before_registration",
                        f"初次购置日期（{purchase.isoformat()}）早于初次登记日期（{first_registration.isoformat()}）"
                        f"超过{PURCHASE_BEFORE_REGISTRATION_DAYS}天（新车通常在购置后数日内登记），请核实两个日期",
                        "deal.initial_purchase_date")]
    return []


def entry_warnings(new: Sale, known: list[Sale]) -> list[Finding]:
    """What a clerk is told when recording ``new`` beside the VIN's ``known`` sales (any enterprise's):
    never a refusal, and nothing that identifies another enterprise or its figures."""
    warnings = []
    if new.mileage_km is not None and any(
            sale.mileage_km is not None and sale.trade_date <= new.trade_date and sale.mileage_km > new.mileage_km
            for sale in known):
        warnings.append(Finding("mileage.decreased", "该车辆此前记录的表显里程高于本次填写的里程，请核实里程表读数"
                                                     "（如属实请保留记录，主管部门可查看车辆档案）"))
    if any(sale.enterprise_id != new.enterprise_id and sale.trade_date == new.trade_date for sale in known):
        warnings.append(Finding("vin.concurrent_trade", "同一车辆在同一交易日期已有其他企业录入交易信息，请核实"))
    return warnings


_PERIOD: tuple[tuple[re.Pattern[str], Callable[[int, int], tuple[date, date]]], ...] = (
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), lambda y, n: (date(y, n, 1), _month_after(y, n))),
    (re.compile(r"^(\d{4})-Q([1-4])$"), lambda y, n: (date(y, 3 * n - 2, 1), _month_after(y, 3 * n))),
    (re.compile(r"^(\d{4})$"), lambda y, _: (date(y, 1, 1), date(y + 1, 1, 1))),
)


def _month_after(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def period_dates(text: str) -> tuple[date, date] | None:
    """``YYYY-MM``, ``YYYY-Qn`` or ``YYYY`` as [first day, first day after); None when it is none of them."""
    for pattern, bounds in _PERIOD:
        if match := pattern.match(text.strip()):
            year = int(match.group(1))
            if 2000 <= year <= 2100:
                return bounds(year, int(match.group(2)) if match.lastindex == 2 else 0)
    return None
