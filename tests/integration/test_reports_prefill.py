"""The report pre-fill follows transactions' events exactly once, whatever their order, and follows
records entered, amended and deleted through /api/v1/transactions."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest
from autocirc_reports.models.facts import transaction_facts
from autocirc_shared.events.transactions import TransactionAmended, TransactionDeleted, TransactionFacts
from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.tables import inbox
from sqlalchemy import func, select

from tests.integration.test_filing import eventually
from tests.integration.test_reports import draft_of, now, publish, recorded, reporting_enterprise, rows_by_category
from tests.support.api import bearer
from tests.support.flows import confirmed_enterprise, transaction_body

MONTH = "2026-10"


def amended(record, version: int, **changes) -> TransactionAmended:
    facts = TransactionFacts(**{**record.facts.model_dump(), **changes})
    return TransactionAmended(transaction_id=record.transaction_id, version=version, facts=facts, amended_at=now())


def deleted(record, version: int) -> TransactionDeleted:
    return TransactionDeleted(transaction_id=record.transaction_id, version=version,
                              enterprise_id=record.facts.enterprise_id, deleted_at=now())


async def settled(client, token: str, check, period: str = MONTH) -> dict:
    async def probe():
        body = await draft_of(client, token, period)
        return body if check(body) else None

    return await eventually(probe)


async def applied(system, envelopes) -> None:
    """Wait until reports' inbox holds every one of these messages."""
    ids = {env.message_id for env in envelopes}

    async def done():
        async with system.runtime("reports").db.sessionmaker() as session:
            return await session.scalar(select(func.count()).select_from(inbox).where(inbox.c.message_id.in_(ids))
                                        ) == len(ids)

    await eventually(done)


async def test_amendments_and_deletions_move_the_prefill(system):
    client = system.client
    enterprise, token = await reporting_enterprise(system)
    eid = enterprise["id"]
    suv_a = recorded(eid, "110101", "2026-10-03", "suv", "100000")
    suv_b = recorded(eid, "110101", "2026-10-04", "suv", "80000")
    mpv = recorded(eid, "110101", "2026-10-05", "mpv", "60000")
    await publish(system, suv_a, suv_b, mpv)
    await settled(client, token, lambda b: b["totals"]["count"] == 3)

    await publish(system, amended(suv_a, 2, report_category="mpv", amount_yuan=Decimal("120000"),
                                  trade_type="consignment"))
    body = await settled(client, token, lambda b: rows_by_category(b)["mpv"]["count"] == 2)
    rows = rows_by_category(body)
    assert (rows["suv"]["count"], rows["suv"]["amount_wan"], rows["suv"]["direct_count"]) == (1, 8, 1)
    assert (rows["mpv"]["amount_wan"], rows["mpv"]["consignment_count"], rows["mpv"]["direct_count"]) == (18, 1, 1)

    await publish(system, deleted(suv_b, 2), amended(mpv, 2, trade_date=date(2026, 9, 30)))
    body = await settled(client, token, lambda b: b["totals"]["count"] == 1)
    assert rows_by_category(body)["mpv"]["amount_wan"] == 12 and rows_by_category(body)["suv"]["count"] == 0
    september = await draft_of(client, token, "2026-09")
    assert rows_by_category(september)["mpv"]["count"] == 1, "moved to the month it was really traded in"


async def test_redelivered_and_late_events_are_applied_once(system):
    client, bus = system.client, system.bus
    enterprise, token = await reporting_enterprise(system)
    eid = enterprise["id"]
    first = recorded(eid, "110101", "2026-10-10", "truck", "50000")
    twice = Envelope.wrap(first, "transactions")
    await bus.publish([twice, twice])
    await bus.publish([twice])
    await applied(system, [twice])

    newer = Envelope.wrap(amended(first, 3, amount_yuan=Decimal("70000")), "transactions")
    older = Envelope.wrap(amended(first, 2, amount_yuan=Decimal("10000"), report_category="suv"), "transactions")
    again = Envelope.wrap(first, "transactions")  # the same fact under a new message id (a re-publication)
    await bus.publish([newer])
    await applied(system, [newer])
    await bus.publish([older, again])
    await applied(system, [older, again])
    rows = rows_by_category(await draft_of(client, token, MONTH))
    assert (rows["truck"]["count"], rows["truck"]["amount_wan"], rows["suv"]["count"]) == (1, 7, 0)

    gone = Envelope.wrap(deleted(first, 4), "transactions")
    late = Envelope.wrap(amended(first, 3, amount_yuan=Decimal("90000")), "transactions")
    await bus.publish([gone])
    await applied(system, [gone])
    await bus.publish([late])
    await applied(system, [late])
    assert (await draft_of(client, token, MONTH))["totals"]["count"] == 0, "a deletion is final"
    async with system.runtime("reports").db.sessionmaker() as session:
        row = (await session.execute(select(transaction_facts).where(
            transaction_facts.c.transaction_id == first.transaction_id))).mappings().one()
    assert (row["version"], row["deleted"]) == (4, True)


async def test_an_amendment_before_its_recording_and_a_burst_on_one_row(system):
    client, bus = system.client, system.bus
    enterprise, token = await reporting_enterprise(system)
    eid = enterprise["id"]
    original = recorded(eid, "110101", "2026-10-12", "crossover", "30000")
    early = Envelope.wrap(amended(original, 2, amount_yuan=Decimal("33000")), "transactions")
    await bus.publish([early])
    await applied(system, [early])
    late = Envelope.wrap(original, "transactions")
    await bus.publish([late])
    burst = [recorded(eid, "110101", (date(2026, 10, 1) + timedelta(days=i % 28)).isoformat(), "motorcycle", "1000")
             for i in range(40)]
    envelopes = [Envelope.wrap(event, "transactions") for event in burst]
    await asyncio.gather(*(bus.publish(envelopes[i::4]) for i in range(4)))
    await applied(system, [late, *envelopes])
    rows = rows_by_category(await draft_of(client, token, MONTH))
    assert (rows["crossover"]["count"], rows["crossover"]["amount_wan"]) == (1, 3.3)
    assert (rows["motorcycle"]["count"], rows["motorcycle"]["amount_wan"]) == (40, 4), "no increment lost"


@pytest.fixture
def november(system):
    """Today is 5 November 2026 for transactions (no future trade dates) and reports."""
    settings = [system.runtime(name).settings for name in ("transactions", "reports")]
    saved = [item.today for item in settings]
    for item in settings:
        item.today = date(2026, 11, 5)
    yield
    for item, today in zip(settings, saved):
        item.today = today


def october_sale(day: int, price: float, mpv: bool = False, **deal) -> dict:
    vehicle = {"vehicle_type": "K31", "report_category": "mpv"} if mpv else {"vehicle_type": "K33"}
    return transaction_body(vehicle=vehicle, deal={"trade_date": f"{MONTH}-{day:02d}", "price": price, **deal})


async def test_the_draft_follows_records_entered_amended_and_deleted_through_the_api(system, november):
    client = system.client
    _, token = await confirmed_enterprise(client)

    async def reports_knows():
        response = await client.get("/api/v1/reports/used-car-monthly/draft", params={"period": MONTH},
                                    headers=bearer(token))
        assert response.status_code in (200, 403), response.text
        return response.status_code == 200

    await eventually(reports_knows, timeout=30)
    bodies = [october_sale(2, 50000), october_sale(9, 60000, trade_type="consignment"), october_sale(16, 70000),
              october_sale(23, 80000, mpv=True), october_sale(30, 90000.5, mpv=True, transfer_region_code="330106")]
    ids = []
    for body in bodies:
        created = await client.post("/api/v1/transactions", json=body, headers=bearer(token))
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    body = await settled(client, token, lambda b: b["totals"]["count"] == 5)
    rows = rows_by_category(body)
    basic, mpv = rows["passenger_basic"], rows["mpv"]
    assert (basic["count"], basic["amount_wan"], basic["direct_count"], basic["consignment_count"]) == (3, 18, 2, 1)
    assert (mpv["count"], mpv["amount_wan"], mpv["out_transfer_count"]) == (2, 17.0001, 1), "万元, rounded half up"

    amended = {**bodies[0], "vehicle": {**bodies[0]["vehicle"], "vehicle_type": "K31", "report_category": "mpv"},
               "deal": {**bodies[0]["deal"], "price": 100000}}
    updated = await client.put(f"/api/v1/transactions/{ids[0]}", json=amended, headers=bearer(token))
    assert updated.status_code == 200 and updated.json()["version"] == 2, updated.text
    assert (await client.delete(f"/api/v1/transactions/{ids[1]}", headers=bearer(token))).status_code == 204
    body = await settled(client, token, lambda b: b["totals"]["count"] == 4 and rows_by_category(b)["mpv"]["count"] == 3)
    rows = rows_by_category(body)
    basic, mpv = rows["passenger_basic"], rows["mpv"]
    assert (basic["count"], basic["amount_wan"], basic["direct_count"], basic["consignment_count"]) == (1, 7, 1, 0)
    assert (mpv["count"], mpv["amount_wan"], mpv["direct_count"]) == (3, 27.0001, 3)
    assert body["totals"]["amount_wan"] == 34.0001 and body["source"] == "transactions"
