"""RELIABILITY scenario 10: two replicas of transactions and of reports at once.

A second runtime of each (its own connection to RabbitMQ, its own pool, its own relay, consumer and
import worker) joins the running system: both transactions replicas take entries, amendments and
deletions and both relays publish; both reports replicas compete on one queue, so a record's
amendment may be applied by one replica before its creation is by the other. The sums must still
match the records."""
from __future__ import annotations

import asyncio
import random

import httpx
from autocirc_reports.main import create_runtime as reports_runtime
from autocirc_transactions.main import create_runtime as transactions_runtime

from tests.integration.test_transactions_excel import record
from tests.support.api import HANGZHOU_XIHU, bearer
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import enter_many, facts_known, service_db, until_reconciled
from tests.support.system import patched_env

PER_REPLICA = 150  # entries per enterprise and transactions replica
ENTERPRISES = 2


async def test_two_replicas_of_transactions_and_reports_keep_the_sums_equal_to_the_records(faulty_system):
    system = faulty_system
    with patched_env(system.env):
        extra = {"transactions": transactions_runtime(), "reports": reports_runtime()}
    first = {name: system.runtime(name) for name in extra}
    baseline = {name: (first[name].consumer.applied, first[name].relay.published) for name in extra}
    for runtime in extra.values():
        await runtime.start()
    replica2 = httpx.AsyncClient(transport=httpx.ASGITransport(app=extra["transactions"].app),
                                 base_url="http://transactions-2", timeout=60)
    tx_db, reports_db = service_db(system.env, "transactions"), service_db(system.env, "reports")
    try:
        for runtime in extra.values():
            await asyncio.wait_for(runtime.bus.wait_connected(), 30)
        enterprises = await asyncio.gather(*(confirmed_enterprise(system.client, residence=HANGZHOU_XIHU)
                                             for _ in range(ENTERPRISES)))
        ids = [e["id"] for e, _ in enterprises]
        # the second transactions replica learns of the confirmations from its share of the queue, or not at
        # all: its database is the first's, so the gate is open for both
        stored: list[tuple[str, str]] = []  # (token, transaction id)
        jobs = []
        for n, (_, token) in enumerate(enterprises):
            for r, client in enumerate((system.client, replica2)):
                bodies = [record(700_000 + n * 10_000 + r * 1_000 + i) for i in range(PER_REPLICA)]
                jobs.append((token, enter_many(client, token, bodies, concurrency=3,
                                               url="/api/v1/transactions")))
        results = await asyncio.gather(*(job for _, job in jobs))
        for (token, _), (created, statuses) in zip(jobs, results):
            assert set(statuses) == {201}, statuses
            stored += [(token, i) for i in created]

        # amend and delete some, each through either replica, while the creations are still being applied
        rng = random.Random(7)
        chosen = rng.sample(stored, 90)
        amended, deleted = chosen[:60], chosen[60:]

        async def amend(token: str, transaction_id: str, client) -> None:
            url = f"/api/v1/transactions/{transaction_id}"
            current = (await client.get(url, headers=bearer(token))).json()
            body = {k: current[k] for k in ("buyer", "seller", "vehicle", "deal") if k in current}
            if current.get("agent"):
                body["agent"] = current["agent"]
            body["deal"] = {**body["deal"], "price": float(body["deal"]["price"]) + 1111,
                            "trade_date": "2024-12-28"}
            body["deal"].pop("price_upper", None)  # derived again from the new price
            response = await client.put(url, json=body, headers=bearer(token))
            assert response.status_code == 200, response.text

        async def delete(token: str, transaction_id: str, client) -> None:
            response = await client.delete(f"/api/v1/transactions/{transaction_id}", headers=bearer(token))
            assert response.status_code == 204, response.text

        clients = (system.client, replica2)
        await asyncio.gather(*(amend(t, i, clients[k % 2]) for k, (t, i) in enumerate(amended)),
                             *(delete(t, i, clients[k % 2]) for k, (t, i) in enumerate(deleted)))

        result, seconds = await until_reconciled(tx_db, reports_db, ids, timeout=180)
        known = await facts_known(reports_db, ids)
        applied = {name: (first[name].consumer.applied - baseline[name][0], extra[name].consumer.applied)
                   for name in extra}
        published = (first["transactions"].relay.published - baseline["transactions"][1],
                     extra["transactions"].relay.published)
        report("two_replicas", records=result.records, amended=len(amended), deleted=len(deleted),
               reports_applied=f"{applied['reports'][0]}+{applied['reports'][1]}",
               transactions_applied=f"{applied['transactions'][0]}+{applied['transactions'][1]}",
               relays_published=f"{published[0]}+{published[1]}", lost=result.lost,
               duplicates_applied=result.duplicates, seconds_to_match=seconds)
        expected = ENTERPRISES * 2 * PER_REPLICA - len(deleted)
        assert result.records == expected == known
        assert result.matches and result.lost == 0 and result.duplicates == 0
        assert all(n > 0 for n in applied["reports"]), "both reports replicas applied events"
        assert all(n > 0 for n in published), "both transactions relays published"
    finally:
        await replica2.aclose()
        for runtime in extra.values():
            await runtime.stop()
        await asyncio.gather(tx_db.dispose(), reports_db.dispose())
