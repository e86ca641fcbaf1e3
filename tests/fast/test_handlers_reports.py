"""reports' handlers: enterprises and what they owe, the catalogue, and each transaction's facts summed once
(also when a delivery batch holds both copies of one message)."""
from __future__ import annotations

from decimal import Decimal

from tests.fast import events

SUMS = "SELECT count, amount_yuan FROM transaction_sums WHERE enterprise_id = :e AND month = '2024-03'"


async def reporting_enterprise(reports) -> str:
    registered = events.registered()
    await reports.deliver_twice(registered)
    await reports.deliver_twice(events.confirmed(registered.enterprise_id))
    return registered.enterprise_id


async def sums(reports, enterprise_id: str) -> tuple[int, Decimal]:
    rows = await reports.rows(SUMS, e=enterprise_id)
    return (rows[0]["count"], Decimal(str(rows[0]["amount_yuan"])).quantize(Decimal("0.01"))) if rows else (0, 0)


async def test_a_confirmed_filing_makes_the_enterprise_owe_its_kinds_and_a_revocation_stops_it(lone):
    reports = await lone("reports")
    enterprise_id = await reporting_enterprise(reports)
    row = "SELECT confirmed, filing_version, region_code FROM enterprises WHERE enterprise_id = :e"
    assert await reports.rows(row, e=enterprise_id) == [{"confirmed": 1, "filing_version": 1, "region_code": "110101"}]
    kinds = await reports.rows("SELECT kind FROM enterprise_kinds WHERE enterprise_id = :e", e=enterprise_id)
    assert kinds, "a used-car dealer owes reports"
    await reports.deliver_twice(events.updated(enterprise_id, "110102"))
    assert (await reports.rows(row, e=enterprise_id))[0]["region_code"] == "110102"
    await reports.deliver_twice(events.revoked(enterprise_id, version=2))
    assert (await reports.rows(row, e=enterprise_id))[0]["confirmed"] == 0


async def test_the_catalogue_is_projected_once(lone):
    reports = await lone("reports")
    maker = events.manufacturer()
    brand = events.brand([maker.manufacturer_id])
    model = events.model(brand.brand_id, maker.manufacturer_id)
    for event in (maker, brand, model, events.displacement(model.model_id, 2.0), events.displacement(model.model_id, 2.0)):
        await reports.deliver_twice(event)
    assert await reports.rows("SELECT name FROM catalog_brands WHERE id = :b", b=brand.brand_id) == [{"name": "测试牌"}]
    litres = await reports.rows("SELECT litres FROM catalog_displacements WHERE model_id = :m ORDER BY litres",
                                m=model.model_id)
    assert [float(r["litres"]) for r in litres] == [1.5, 2.0]


async def test_a_transaction_recorded_amended_and_deleted_is_summed_once_each(lone):
    reports = await lone("reports")
    enterprise_id = await reporting_enterprise(reports)
    recorded = events.recorded(enterprise_id, amount="50000.00")
    await reports.deliver_twice(recorded)
    assert await sums(reports, enterprise_id) == (1, Decimal("50000.00"))
    await reports.deliver_twice(events.amended(enterprise_id, recorded.transaction_id, "42000.00"))
    assert await sums(reports, enterprise_id) == (1, Decimal("42000.00"))
    await reports.deliver_twice(recorded)  # a new message of the old version: older than what is held
    assert await sums(reports, enterprise_id) == (1, Decimal("42000.00"))
    await reports.deliver_twice(events.deleted(enterprise_id, recorded.transaction_id))
    assert await sums(reports, enterprise_id) == (0, Decimal("0.00"))


async def test_a_set_event_counts_each_record_once(lone):
    reports = await lone("reports")
    enterprise_id = await reporting_enterprise(reports)
    await reports.deliver_twice(events.recorded_set(enterprise_id, ["10000.00", "20000.00", "30000.00"]))
    assert await sums(reports, enterprise_id) == (3, Decimal("60000.00"))
