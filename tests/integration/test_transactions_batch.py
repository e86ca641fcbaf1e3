"""``POST /api/v1/transactions/batch`` (issue 14, API.md "Machine API") through the gateway, in both modes:
all or nothing, every bad record listed as ``records.{i}.{field}``, a repeated ``Idempotency-Key`` answered
the same with nothing stored twice, a key reused with another body refused, one set event per batch."""
from __future__ import annotations

import uuid

import pytest
from autocirc_shared.messaging.tables import outbox
from sqlalchemy import select

from tests.integration.test_transactions_excel import record
from tests.support.api import bearer
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import service_db

BATCH = "/api/v1/transactions/batch"


def keyed(token: str, key: str | None) -> dict:
    return {**bearer(token), **({"Idempotency-Key": key} if key else {})}


async def own_total(client, token: str) -> int:
    response = await client.get("/api/v1/transactions", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["total"]


@pytest.fixture(params=["system", "embedded"])
def mode(request):
    return request.getfixturevalue(request.param)


async def test_batch_is_all_or_nothing_idempotent_and_one_set_event(mode):
    client = mode.client
    enterprise, token = await confirmed_enterprise(client)
    base = 300_000 + uuid.uuid4().int % 600_000
    bodies = [record(base + i) for i in range(5)]
    key = str(uuid.uuid4())

    # a bad record anywhere: nothing stored, every bad one listed by index
    bad = [dict(b) for b in bodies]
    bad[1] = {**bad[1], "vehicle": {**bad[1]["vehicle"], "vin": "123"}}
    bad[3] = {**bad[3], "deal": {**bad[3]["deal"], "price": -5}}
    refused = await client.post(BATCH, json={"records": bad}, headers=keyed(token, key))
    assert refused.status_code == 422, refused.text
    fields = {e["field"] for e in refused.json()["errors"]}
    assert any(f.startswith("records.1.vehicle.vin") for f in fields), fields
    assert any(f.startswith("records.3.deal.price") for f in fields), fields
    assert not any(f.startswith(("records.0.", "records.2.", "records.4.")) for f in fields), fields
    assert await own_total(client, token) == 0

    missing = await client.post(BATCH, json={"records": bodies}, headers=bearer(token))
    assert missing.status_code == 422 and missing.json()["code"] == "idempotency.key_required"

    # the same key after a refusal is still free; then stored once, replayed the same
    first = await client.post(BATCH, json={"records": bodies}, headers=keyed(token, key))
    assert first.status_code == 201, first.text
    answer = first.json()
    assert len(answer["ids"]) == 5 and len(set(answer["ids"])) == 5 and answer["warnings"] == []
    again = await client.post(BATCH, json={"records": bodies}, headers=keyed(token, key))
    assert again.status_code == 201 and again.json() == answer
    assert await own_total(client, token) == 5

    other = await client.post(BATCH, json={"records": bodies[:2]}, headers=keyed(token, key))
    assert other.status_code == 422 and other.json()["code"] == "idempotency.mismatch"

    # the same records under a new key: duplicates, all refused by index
    dup = await client.post(BATCH, json={"records": [record(base + 9), bodies[0]]}, headers=keyed(token, "k2"))
    assert dup.status_code == 422, dup.text
    assert [e["field"] for e in dup.json()["errors"]] == ["records.1.vehicle.vin"]
    assert await own_total(client, token) == 5

    stored = await client.get(f"/api/v1/transactions/{answer['ids'][2]}", headers=bearer(token))
    assert stored.status_code == 200 and stored.json()["vehicle"]["vin"] == bodies[2]["vehicle"]["vin"]
    history = await client.get(f"/api/v1/transactions/{answer['ids'][2]}/history", headers=bearer(token))
    assert [h["action"] for h in history.json()] == ["create"]

    db = service_db(mode.env, "transactions")
    try:
        async with db.sessionmaker() as session:
            envelopes = [row.envelope for row in await session.execute(
                select(outbox.c.envelope).where(outbox.c.name == "transactions.recorded_set.v1"))]
    finally:
        await db.dispose()
    mine = [e for e in envelopes if e["payload"]["items"][0]["facts"]["enterprise_id"] == enterprise["id"]]
    assert len(mine) == 1 and [i["transaction_id"] for i in mine[0]["payload"]["items"]] == answer["ids"]
    assert mine[0]["payload"]["source"] == "batch"


async def test_batch_limits(embedded):
    client = embedded.client
    _, token = await confirmed_enterprise(client)
    for body in ({"records": []}, {"records": [record(1)] * 1001}, {"rows": []}, [1, 2]):
        response = await client.post(BATCH, json=body, headers=keyed(token, str(uuid.uuid4())))
        assert response.status_code == 422, (body if not isinstance(body, dict) else list(body), response.text)
    long_key = await client.post(BATCH, json={"records": [record(2)]}, headers=keyed(token, "x" * 201))
    assert long_key.status_code == 422 and long_key.json()["code"] == "idempotency.key_invalid"
