"""Vehicle history plausibility: findings, the mileage verdict and the clerk's warnings (pure rules)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from autocirc_transactions.domain.vehicle_rules import Sale, entry_warnings, findings, mileage_verdict, period_dates


def sale(day: str, km: str | None, enterprise: str = "a", plate: str | None = "京A12345", order: float = 0) -> Sale:
    return Sale(enterprise, date.fromisoformat(day), Decimal(km) if km is not None else None, plate, order)


def codes(found) -> list[str]:
    return [f.code for f in found]


def test_a_rising_odometer_is_consistent_and_a_falling_one_is_not():
    rising = [sale("2023-01-05", "30000"), sale("2024-06-01", "61000.5", "b")]
    assert mileage_verdict(rising) == "consistent" and findings(rising) == []
    fallen = [sale("2024-06-01", "61000", "b"), sale("2023-01-05", "30000"), sale("2025-02-01", "18000", "c")]
    found = findings(fallen)
    assert codes(found) == ["mileage.decreased"] and mileage_verdict(fallen) == "inconsistent"
    assert "18000公里" in found[0].message and "2024-06-01" in found[0].message and "61000" in found[0].message


def test_too_few_mileages_are_unknown():
    assert mileage_verdict([]) == "unknown"
    assert mileage_verdict([sale("2023-01-05", "30000"), sale("2024-01-05", None, "b")]) == "unknown"


def test_same_day_trades_by_two_enterprises_and_plate_changes():
    same_day = [sale("2024-03-15", "50000", "a"), sale("2024-03-15", "50010", "b", plate="沪B54321")]
    assert codes(findings(same_day)) == ["vin.traded_twice_same_day", "plate.changed"]
    assert findings([sale("2024-03-15", "5", "a"), sale("2024-03-15", "5", "a")]) == [], "one enterprise, one day"
    assert codes(findings([sale("2024-01-01", None, plate=None), sale("2024-02-01", None)])) == []


def test_the_clerk_is_warned_without_a_word_about_the_other_enterprise():
    known = [sale("2024-01-10", "80000", "other"), sale("2024-05-01", "85000", "other")]
    warned = entry_warnings(sale("2024-03-01", "40000", "mine"), known)
    assert codes(warned) == ["mileage.decreased"]
    assert codes(entry_warnings(sale("2024-05-01", "90000", "mine"), known)) == ["vin.concurrent_trade"]
    assert entry_warnings(sale("2024-06-01", "90000", "mine"), known) == []
    assert entry_warnings(sale("2024-06-01", None, "mine"), known) == [], "no mileage, nothing to compare"
    for warning in warned + entry_warnings(sale("2024-05-01", "1", "mine"), known):
        assert "80000" not in warning.message and "other" not in warning.message and "2024" not in warning.message


def test_periods():
    assert period_dates("2024-03") == (date(2024, 3, 1), date(2024, 4, 1))
    assert period_dates("2024-12") == (date(2024, 12, 1), date(2025, 1, 1))
    assert period_dates("2024-Q4") == (date(2024, 10, 1), date(2025, 1, 1))
    assert period_dates("2024") == (date(2024, 1, 1), date(2025, 1, 1))
    assert period_dates("2024-13") is None and period_dates("1999") is None and period_dates("x") is None
