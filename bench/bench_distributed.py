"""Distributed throughput: separate service processes as ``make run-services`` starts them (uvicorn per
service, real PostgreSQL and RabbitMQ), with 1 and then 2 replicas of transactions and of reports.

Per replica count, printed side by side:
  entries/s   single entries POSTed (16 concurrent) straight to the transactions replicas, round robin
              (the gateway, one more process on these 2 cores, is left out of this figure);
  lag         seconds from the last entry's 201 until reports has summed every entry (the draft's source);
  freshness   entries paced at 200/s (before the closed-loop run): from each 201 until its facts are in reports' tables;
  events/s    per-record events (``transactions.recorded.v1``) published straight onto the bus in one go,
              applied by the reports replicas: count ÷ seconds until all are in the sums;
  set facts/s the same records as set events of 1,000 (what an import emits).

Usage: .venv/bin/python bench/bench_distributed.py [ENTRIES] [EVENTS]   (default 2000 20000)
"""
from __future__ import annotations

import asyncio
import itertools
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
SERVICES = ("identity", "filing", "transactions", "reports")


async def summed(env: dict, enterprise_ids: list[str]) -> int:
    import asyncpg

    conn = await asyncpg.connect(PG.rsplit("/", 1)[0] + f"/{env['AUTOCIRC_DATABASE_PREFIX']}_reports")
    try:
        return await conn.fetchval("SELECT coalesce(sum(count), 0) FROM transaction_sums "
                                   "WHERE enterprise_id = any($1::text[])", enterprise_ids)
    finally:
        await conn.close()


async def until_summed(env: dict, enterprise_ids: list[str], total: int, timeout: float = 600) -> float:
    deadline = time.perf_counter() + timeout
    while await summed(env, enterprise_ids) < total:
        assert time.perf_counter() < deadline, "reports never caught up"
        await asyncio.sleep(0.05)
    return time.perf_counter()


async def entries(running, urls: list[str], count: int) -> tuple[float, float, list[float]]:
    import httpx

    from tests.integration.test_transactions_excel import record
    from tests.support.api import bearer
    from tests.support.flows import confirmed_enterprise

    async with httpx.AsyncClient(base_url=running.url, timeout=60) as gateway:
        enterprise, token = await confirmed_enterprise(gateway)
    clients = [httpx.AsyncClient(base_url=url, timeout=60, headers=bearer(token)) for url in urls]
    for client in clients:  # every replica has learnt of the confirmation (shared database: at once)
        assert (await client.get("/api/v1/transactions")).status_code == 200
    lags = await paced_freshness(running.env, clients, [record(i, prefix="LPACEDB2") for i in range(PACED_RATE * PACED_SECONDS)])
    bodies = iter([record(i) for i in range(count)])
    ring = itertools.cycle(clients)
    statuses: list[int] = []

    async def worker() -> None:
        for body in bodies:
            statuses.append((await next(ring).post("/api/v1/transactions", json=body)).status_code)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(16)))
    done = time.perf_counter()
    for client in clients:
        await client.aclose()
    assert statuses.count(201) == count, {s: statuses.count(s) for s in set(statuses)}
    caught_up = await until_summed(running.env, [enterprise["id"]], count + len(lags))
    return count / (done - started), caught_up - done, lags


PACED_RATE, PACED_SECONDS, POLL_SECONDS = 200, 5, 0.005  # the rate


async def paced_freshness(env: dict, clients: list, bodies: list[dict]) -> list[float]:
    """Entries at ``PACED_RATE``/s (open loop, round robin): for each, the seconds from its 201 until its facts row is
    in reports' database, which a poller looks for every ``POLL_SECONDS`` (the figure is that much coarser)."""
    import asyncpg

    answered: dict[str, float] = {}
    seen: dict[str, float] = {}
    finished = asyncio.Event()

    async def one(client, body: dict) -> None:
        response = await client.post("/api/v1/transactions", json=body)
        assert response.status_code == 201, response.text
        answered[response.json()["id"]] = time.perf_counter()

    async def poll() -> None:
        conn = await asyncpg.connect(PG.rsplit("/", 1)[0] + f"/{env['AUTOCIRC_DATABASE_PREFIX']}_reports")
        try:
            while not (finished.is_set() and len(seen) == len(answered)):
                waiting = [tid for tid in answered if tid not in seen]
                if waiting:
                    rows = await conn.fetch("SELECT transaction_id FROM transaction_facts "
                                            "WHERE transaction_id = any($1::text[])", waiting)
                    now = time.perf_counter()
                    for row in rows:
                        seen[row["transaction_id"]] = now
                await asyncio.sleep(POLL_SECONDS)
        finally:
            await conn.close()

    poller = asyncio.create_task(poll())
    ring = itertools.cycle(clients)
    tasks, started = [], time.perf_counter()
    for i, body in enumerate(bodies):
        await asyncio.sleep(max(0.0, started + i / PACED_RATE - time.perf_counter()))
        tasks.append(asyncio.create_task(one(next(ring), body)))
    await asyncio.gather(*tasks)
    finished.set()
    await asyncio.wait_for(poller, 60)
    return sorted(seen[tid] - answered[tid] for tid in answered)


def facts(enterprise_id: str, n: int):
    from tests.support.facts import sample_facts

    return sample_facts(enterprise_id=enterprise_id, region_code="110101", trade_date=date(2026, 1 + n % 12, 1),
                        report_category=("suv", "mpv", "passenger_basic")[n % 3],
                        amount_yuan=Decimal(30_000 + n % 9000), first_registration_date=date(2019, 5, 1))


async def events(running, count: int, as_sets: bool) -> float:
    from autocirc_shared.events.transactions import (
        MAX_SET_ITEMS,
        RecordedItem,
        TransactionRecorded,
        TransactionsRecordedSet,
    )
    from autocirc_shared.messaging.envelope import Envelope
    from autocirc_shared.messaging.rabbit import RabbitBus

    enterprises = [str(uuid.uuid4()) for _ in range(4)]  # four hot rows per month and category
    now = datetime.now(UTC)
    items = [(str(uuid.uuid4()), facts(enterprises[n % 4], n)) for n in range(count)]
    if as_sets:
        envelopes = [Envelope.wrap(TransactionsRecordedSet(
            items=[RecordedItem(transaction_id=t, facts=f) for t, f in items[i:i + MAX_SET_ITEMS]],
            source="import", recorded_at=now), "transactions") for i in range(0, count, MAX_SET_ITEMS)]
    else:
        envelopes = [Envelope.wrap(TransactionRecorded(transaction_id=t, version=1, facts=f, recorded_at=now),
                                   "transactions") for t, f in items]
    bus = RabbitBus(AMQP, running.env["AUTOCIRC_BUS_NAMESPACE"], topology={})
    await bus.start()
    try:
        started = time.perf_counter()
        for i in range(0, len(envelopes), 2000):
            await bus.publish(envelopes[i:i + 2000])
        done = await until_summed(running.env, enterprises, count)
    finally:
        await bus.stop()
    return count / (done - started)


async def measure(replicas: int, n_entries: int, n_events: int) -> dict:
    from tests.support.processes import ServiceProcess, separate_services

    data_dir = Path(tempfile.mkdtemp(prefix="autocirc-bench-dist-"))
    async with separate_services(data_dir, PG, AMQP, None, SERVICES) as running:
        extra = [ServiceProcess(name, running.env).start() for name in ("transactions", "reports")
                 for _ in range(replicas - 1)]
        try:
            await asyncio.gather(*(p.ready() for p in extra))
            tx_urls = [running.procs["transactions"].url] + [p.url for p in extra if p.service == "transactions"]
            rate, lag, fresh = await entries(running, tx_urls, n_entries)
            single = await events(running, n_events, as_sets=False)
            sets = await events(running, n_events * 5, as_sets=True)
        finally:
            for p in extra:
                p.stop()
    return {"entries": rate, "lag": lag, "events": single, "sets": sets, "fresh": fresh}


async def main(n_entries: int, n_events: int) -> None:
    print(f"bench_distributed: {n_entries:,} entries, {n_events:,} single events, {n_events * 5:,} facts as sets; "
          "shared 2-core machine (other work runs meanwhile: figures are noisy)")
    results = {}
    for replicas in (1, 2):
        r = results[replicas] = await measure(replicas, n_entries, n_events)
        fresh = r["fresh"]
        print(f"  {replicas} replica(s) of transactions and reports: {r['entries']:7.0f} entries/s, lag {r['lag']:.2f} s;"
              f" reports {r['events']:7.0f} events/s, {r['sets']:8.0f} set facts/s;"
              f" freshness at {PACED_RATE}/s (201 → facts row, polled every {POLL_SECONDS * 1000:.0f} ms)"
              f" p50 {fresh[len(fresh) // 2] * 1000:.0f} ms, p99 {fresh[int(len(fresh) * 0.99)] * 1000:.0f} ms,"
              f" max {fresh[-1] * 1000:.0f} ms (goal p99 ≤ 200 ms)")
    one, two = results[1], results[2]
    print(f"  2 ÷ 1 replicas: entries {two['entries'] / one['entries']:.2f}×, events {two['events'] / one['events']:.2f}×,"
          f" set facts {two['sets'] / one['sets']:.2f}×  (goal: ≥ 1,000 events/s with two replicas)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(*(args + [2000, 20000][len(args):])))
