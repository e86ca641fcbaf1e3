"""Reports: add-up rules, periods, deadlines, age bands and the sums deltas."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from autocirc_reports.api.schemas import MODELS
from autocirc_reports.domain import rules
from autocirc_reports.domain.facts import age_band, net_deltas
from autocirc_reports.domain.kinds import SPECS, kinds_owed
from autocirc_reports.domain.periods import Deadlines, Period
from autocirc_reports.domain.scope import sub_region
from autocirc_shared.events.transactions import TransactionFacts
from autocirc_shared.refdata.regions import codes_within
from pydantic import ValidationError

from tests.support.facts import sample_facts

USED = SPECS["used-car-monthly"]
MARKET = SPECS["market-monthly"]


def row(**overrides) -> dict:
    base = {"category": "suv", "amount_wan": Decimal("30"), "count": 3, "direct_count": 2, "consignment_count": 1,
            "local_transfer_count": 1, "out_transfer_count": 2, "operating_count": 0, "non_operating_count": 3}
    return {**base, **overrides}


def codes(errors) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errors]


def test_a_row_whose_parts_add_up_passes():
    assert rules.check(USED, {"rows": [row()]}) == []


@pytest.mark.parametrize("field, value", [("direct_count", 1), ("out_transfer_count", 3), ("non_operating_count", 2)])
def test_each_split_must_add_up_to_the_count(field, value):
    errors = rules.check(USED, {"rows": [row(), row(category="mpv", **{field: value})]})
    assert [e.code for e in errors] == ["report.inconsistent"]
    assert errors[0].field.startswith("rows.1.") and "MPV" in errors[0].message


def test_market_rows_also_split_by_origin_and_age_band():
    good = row(domestic_count=3, imported_count=0, age_le_3=1, age_3_5=1, age_5_10=1, age_gt_10=0)
    assert rules.check(MARKET, {"rows": [good]}) == []
    bad = {**good, "imported_count": 1, "age_gt_10": 2}
    assert codes(rules.check(MARKET, {"rows": [bad]})) == [("rows.0.domestic_count", "report.inconsistent"),
                                                            ("rows.0.age_le_3", "report.inconsistent")]


def test_an_amount_without_vehicles_or_keyed_in_yuan_is_refused():
    assert codes(rules.check(USED, {"rows": [row(count=0, direct_count=0, consignment_count=0, local_transfer_count=0,
                                                 out_transfer_count=0, non_operating_count=0)]})) == [
        ("rows.0.count", "report.inconsistent")]
    assert codes(rules.check(USED, {"rows": [row(amount_wan=Decimal("300000"))]})) == [
        ("rows.0.amount_wan", "report.unit")]


def test_a_category_may_appear_once():
    assert codes(rules.check(USED, {"rows": [row(), row()]})) == [("rows.1", "report.row_duplicate")]


def test_amounts_in_wan_allow_four_decimals_and_no_more():
    model = MODELS["used-car-monthly"].row_in
    assert model(category="suv", amount_wan="1.2345", count=1).amount_wan == Decimal("1.2345")
    with pytest.raises(ValidationError) as caught:
        model(category="suv", amount_wan="1.23456", count=1)
    assert caught.value.errors()[0]["type"] == "report.unit"
    with pytest.raises(ValidationError):
        model(category="suv", count=-1)
    annual = MODELS["market-annual"].body_in
    figures = dict(period="2025", business_area_m2=1, resident_merchant_count=1, staff_count=1, trade_count=1,
                   trade_amount_wan=1, revenue_wan=1)
    assert annual(**figures, profit_wan="-12.5").profit_wan == Decimal("-12.5"), "a loss is a negative profit"


@pytest.mark.parametrize("text, cadence, months", [
    ("2026-10", "month", ["2026-10"]), ("2026-Q3", "quarter", ["2026-07", "2026-08", "2026-09"]),
    ("2025", "year", [f"2025-{m:02d}" for m in range(1, 13)]),
])
def test_periods_parse_and_cover_their_months(text, cadence, months):
    period = Period.parse(text)
    assert period.cadence == cadence and str(period) == text and period.months() == months


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "26-10", "2026/10", "", "1999", "2026-1"])
def test_malformed_periods_are_refused(text):
    assert Period.parse(text) is None


def test_a_period_is_future_only_before_it_begins():
    assert Period.parse("2026-12").is_future(date(2026, 11, 30))
    assert not Period.parse("2026-11").is_future(date(2026, 11, 1))
    assert Period.parse("2027").is_future(date(2026, 12, 31))


def test_statistics_periods_split_into_the_kinds_cadence():
    assert [str(p) for p in Period.parse("2026").split("quarter")] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [str(p) for p in Period.parse("2026-Q2").split("month")] == ["2026-04", "2026-05", "2026-06"]


def test_deadlines_default_and_locking():
    deadlines = Deadlines()
    assert deadlines.due(Period.parse("2026-10")) == date(2026, 11, 10)
    assert deadlines.due(Period.parse("2026-12")) == date(2027, 1, 10)
    assert deadlines.due(Period.parse("2026-Q3")) == date(2026, 10, 10)
    assert deadlines.due(Period.parse("2026-Q4")) == date(2027, 1, 10)
    annual = Period.parse("2025")
    assert deadlines.due(annual) == date(2026, 3, 31), "annual reports are due before 1 April"
    assert not deadlines.locked(annual, date(2026, 3, 31))
    assert deadlines.locked(annual, date(2026, 4, 1))
    assert not deadlines.locked(Period.parse("2026-10"), date(2026, 11, 10))
    assert not deadlines.late(Period.parse("2026-10"), date(2026, 11, 10))
    assert deadlines.late(Period.parse("2026-10"), date(2026, 11, 11))
    assert not deadlines.locked(Period.parse("2026-10"), date(2026, 11, 11)), "late (迟报), still accepted"
    closed = Deadlines(late_filing=False)
    assert closed.locked(Period.parse("2026-10"), date(2026, 11, 11))
    assert closed.locked(Period.parse("2026-Q3"), date(2026, 10, 11))
    assert not closed.locked(Period.parse("2026-Q3"), date(2026, 10, 10))


def test_fileable_periods_are_begun_not_closed_and_annual_only_once_ended():
    deadlines, closed = Deadlines(), Deadlines(late_filing=False)
    today = date(2026, 12, 2)
    assert [str(p) for p in closed.fileable("month", today)] == ["2026-12", "2026-11"]
    assert [str(p) for p in deadlines.fileable("month", today, back=3)] == ["2026-12", "2026-11", "2026-10"]
    assert [str(p) for p in closed.fileable("quarter", date(2027, 1, 10))] == ["2027-Q1", "2026-Q4"]
    assert [str(p) for p in deadlines.fileable("year", today)] == [], "2026 has not ended; 2025 closed on 31 March"
    assert [str(p) for p in deadlines.fileable("year", date(2027, 3, 31))] == ["2026"]
    assert [str(p) for p in deadlines.fileable("year", date(2027, 4, 1))] == []
    assert str(Period.parse("2026-01").previous()) == "2025-12" and str(Period.parse("2026-Q1").previous()) == "2025-Q4"
    assert Period.parse("2026").has_ended(date(2027, 1, 1)) and not Period.parse("2026").has_ended(date(2026, 12, 31))


def test_configured_deadline_days_are_clamped_to_the_month():
    assert Deadlines(monthly_day=31).due(Period.parse("2026-01")) == date(2026, 2, 28)
    assert Deadlines(annual_month=2, annual_day=30).due(Period.parse("2027")) == date(2028, 2, 29)


@pytest.mark.parametrize("registered, traded, band", [
    ("2023-10-15", "2026-10-15", "age_le_3"), ("2023-10-15", "2026-10-16", "age_3_5"),
    ("2021-10-15", "2026-10-15", "age_3_5"), ("2021-10-15", "2026-10-16", "age_5_10"),
    ("2016-10-15", "2026-10-15", "age_5_10"), ("2016-10-15", "2026-10-16", "age_gt_10"),
    ("2020-02-29", "2023-02-28", "age_le_3"), ("2020-02-29", "2023-03-01", "age_3_5"),
    ("2026-10-20", "2026-10-15", "age_le_3"),
])
def test_age_bands_by_anniversary(registered, traded, band):
    assert age_band(date.fromisoformat(registered), date.fromisoformat(traded)) == band


def facts(**overrides) -> TransactionFacts:
    return sample_facts(**overrides)


def test_an_amendment_moves_a_transaction_between_sums_rows():
    moved = net_deltas(facts(), facts(report_category="mpv", trade_type="consignment"))
    assert [(k.category, d["count"], d["direct_count"], d["consignment_count"]) for k, _, d in moved] == [
        ("mpv", 1, 0, 1), ("suv", -1, -1, 0)]
    same_row = net_deltas(facts(), facts(amount_yuan=Decimal("100000")))
    assert [(d["count"], d["amount_yuan"]) for _, _, d in same_row] == [(0, Decimal("-23456.78"))]
    assert net_deltas(facts(), facts()) == [], "an unchanged amendment touches nothing"
    assert net_deltas(facts(), None)[0][2]["age_5_10"] == -1


def test_who_files_what():
    assert kinds_owed(["used_car_dealer"]) == ["used-car-monthly"]
    assert kinds_owed(["used_car_market"]) == ["market-monthly", "market-annual"]
    assert kinds_owed(["used_car_appraiser"]) == ["appraisal-quarterly"]
    assert kinds_owed(["new_car_dealer", "used_car_broker"]) == ["used-car-monthly", "new-car-monthly",
                                                                 "new-car-annual"]


def test_region_scopes_and_their_next_level():
    beijing = codes_within("110000")
    assert {"110000", "110100", "110101"} <= beijing and "330106" not in beijing
    assert codes_within("000000") is None
    assert sub_region("000000", "110101") == "110000"
    assert sub_region("110000", "110101") == "110100"
    assert sub_region("110100", "110101") == "110101"
    assert sub_region("110101", "110101") == "110101"


def test_new_transactions_add_up_in_place_as_their_net_deltas_would():
    """``SumDeltas.add(None, facts)`` (an import's every fact) adds its buckets in place: the same rows, regions and
    figures as adding up ``net_deltas(None, facts)``, mixed with amendments and deletions, over 2,000 random facts."""
    import random

    from autocirc_reports.domain.facts import SUM_COLUMNS, SumDeltas

    rng = random.Random(9)

    def some() -> TransactionFacts:
        return facts(enterprise_id=rng.choice("ab"), region_code=rng.choice(["110101", "110102"]),
                     trade_date=date(2026, rng.randint(1, 3), rng.randint(1, 28)),
                     report_category=rng.choice(["suv", "mpv", "passenger_basic"]),
                     amount_yuan=Decimal(rng.randint(100, 10**6)) / 100, trade_type=rng.choice(["direct", "consignment"]),
                     transfer=rng.choice(["local", "out"]), usage=rng.choice(["operating", "non_operating"]),
                     origin=rng.choice(["domestic", "imported"]),
                     first_registration_date=date(rng.randint(2010, 2025), rng.randint(1, 12), rng.randint(1, 28)))

    fast, reference = SumDeltas(), {}
    for _ in range(2_000):
        old, new = rng.choice([(None, some()), (None, some()), (some(), some()), (some(), None)])
        fast.add(old, new)
        for key, region, deltas in net_deltas(old, new):
            _, total = reference.get(key, (region, dict.fromkeys(SUM_COLUMNS, 0)))
            reference[key] = (region, {c: total[c] + deltas[c] for c in SUM_COLUMNS})
    expected = [(key, region, deltas) for key, (region, deltas) in sorted(
        reference.items(), key=lambda item: (item[0].enterprise_id, item[0].month, item[0].category))
        if any(deltas.values())]
    assert fast.rows() == expected and len(expected) == 18  # two enterprises, three months, three categories
