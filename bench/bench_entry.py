"""Single-entry throughput (二手车销售情况录入) through the gateway, beside a bare durable write of the same
model, both measured in this run with the same requests and concurrency; plus what one entry costs.

Baseline: a bare FastAPI app with one POST route whose body is ``TransactionIn`` (parse, validate), which
writes the record and an outbox row in one transaction with asyncpg (a pool as large as the concurrency)
and answers 201 with the id.
Measured: ``POST /api/v1/transactions`` through the embedded gateway (request id, token check, routing)
into the transactions service (token, filing gate, every domain rule, insert + audit entry + outbox row in
one commit) on real PostgreSQL, the relay publishing to RabbitMQ and the reports consumer applying the
events. Both are called over httpx's ASGI transport in this process.

Per entry it prints the database statements (an SQLAlchemy listener counts BEGIN, every statement and
COMMIT/ROLLBACK) and the Python CPU ms, each for the request path, the relays and the consumers
separately: every event-loop callback's thread CPU time is charged to the part whose task ran it.
Then the freshness: entries paced at each of ``RATES``/s, the time from each 201 until the reports consumer has
committed its event (the draft reads those sums).

Usage: .venv/bin/python bench/bench_entry.py [N] [concurrency]   (default 2000 16; needs PostgreSQL
and RabbitMQ on 127.0.0.1)
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from fastapi import FastAPI
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autocirc_shared.direct_sql import DirectStatement  # noqa: E402
from autocirc_shared.messaging.inbox import InboxConsumer  # noqa: E402
from autocirc_shared.messaging.outbox import OutboxRelay  # noqa: E402
from autocirc_transactions.domain.schemas import TransactionIn  # noqa: E402

from tests.support.api import bearer  # noqa: E402
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body  # noqa: E402
from tests.support.system import running_system, system_env  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
WARM_UP = 30
# the rate, and one well below what this process sustains (the wake-up latency without a queue)
RATES, PACED_SECONDS = ((200, "LPACED00"), (40, "LPACED40")), 5

PART = contextvars.ContextVar("bench_part", default="other")  # request / relay / consumer / other
CPU: Counter = Counter()
STATEMENTS: Counter = Counter()
APPLIED: dict[str, float] = {}  # transaction id -> when the reports consumer committed its event


# --- accounting ------------------------------------------------------------------------------------------
def charge_cpu_to_parts() -> None:
    """Charge every event-loop callback's thread CPU time to the part (context variable) of its task."""
    run = asyncio.events.Handle._run

    def timed(handle) -> None:
        started = time.thread_time()
        try:
            run(handle)
        finally:
            CPU[handle._context.get(PART, "other")] += time.thread_time() - started

    asyncio.events.Handle._run = timed


def mark_parts() -> None:
    """The relay's and the consumers' tasks carry their part from their first step on."""
    flush, call, batch = OutboxRelay.flush_once, InboxConsumer.__call__, InboxConsumer.apply_batch

    async def relay_flush(self):
        PART.set("relay")
        return await flush(self)

    def applied(self, envelopes) -> None:
        if self.service == "reports":
            now = time.perf_counter()
            for env in envelopes:
                if "transaction_id" in env.payload:
                    APPLIED.setdefault(env.payload["transaction_id"], now)

    async def consume(self, env):
        PART.set("consumer")
        await call(self, env)
        applied(self, [env])

    async def consume_batch(self, envelopes):  # the batching consumer applies a delivery batch at once
        PART.set("consumer")
        await batch(self, envelopes)
        applied(self, envelopes)

    OutboxRelay.flush_once, InboxConsumer.__call__, InboxConsumer.apply_batch = relay_flush, consume, consume_batch


def sends_boundary(conn) -> bool:
    """Whether a BEGIN/COMMIT/ROLLBACK SQLAlchemy signals reaches the server: not on an autocommit connection."""
    return conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"


def count_statements(engine) -> None:
    """The round trips: every statement, and the transaction boundaries the server sees."""
    def statement(*_args, **_kwargs) -> None:
        STATEMENTS[PART.get()] += 1

    def boundary(conn, *_args, **_kwargs) -> None:
        if sends_boundary(conn):
            STATEMENTS[PART.get()] += 1

    for name in ("begin", "commit", "rollback"):
        event.listen(engine.sync_engine, name, boundary)
    event.listen(engine.sync_engine, "before_cursor_execute", statement)


def count_direct_statements() -> None:
    """The statements run straight on asyncpg (autocirc_shared.direct_sql), which SQLAlchemy's events do not see."""
    fetch = DirectStatement._fetch

    async def counted(self, conn, params):
        STATEMENTS[PART.get()] += 1
        return await fetch(self, conn, params)

    DirectStatement._fetch = counted


# --- the baseline -----------------------------------------------------------------------------------------
BASE_SCHEMA = """
CREATE TABLE records (id uuid PRIMARY KEY, enterprise_id text NOT NULL, vin text NOT NULL, trade_date date NOT NULL,
                      price numeric(14, 2) NOT NULL, data jsonb NOT NULL, UNIQUE (enterprise_id, vin, trade_date));
CREATE TABLE outbox (id bigserial PRIMARY KEY, message_id uuid NOT NULL UNIQUE, name text NOT NULL,
                     envelope jsonb NOT NULL, created_at timestamptz NOT NULL, sent_at timestamptz);
"""


def bare_app(pool: asyncpg.Pool) -> FastAPI:
    app = FastAPI()

    @app.post("/t", status_code=201)
    async def create(body: TransactionIn) -> dict:
        record_id, now = uuid.uuid4(), datetime.now(UTC)
        envelope = {"message_id": str(uuid.uuid4()), "name": "transactions.recorded.v1", "occurred_at": now.isoformat(),
                    "payload": {"transaction_id": str(record_id), "vin": body.vehicle.vin,
                                "trade_date": body.deal.trade_date.isoformat(), "price": str(body.deal.price)}}
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("INSERT INTO records VALUES ($1, $2, $3, $4, $5, $6)", record_id, "bench",
                               body.vehicle.vin, body.deal.trade_date, body.deal.price, body.model_dump_json())
            await conn.execute("INSERT INTO outbox (message_id, name, envelope, created_at) VALUES ($1, $2, $3, $4)",
                               uuid.UUID(envelope["message_id"]), envelope["name"], json.dumps(envelope), now)
        return {"id": str(record_id), "vin": body.vehicle.vin}

    return app


async def baseline(n: int, concurrency: int) -> float:
    name = f"bench_base_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        pool = await asyncpg.create_pool(PG.rsplit("/", 1)[0] + f"/{name}", min_size=concurrency,
                                         max_size=concurrency)
        async with pool:
            async with pool.acquire() as conn:
                await conn.execute(BASE_SCHEMA)
            transport = httpx.ASGITransport(app=bare_app(pool))
            async with httpx.AsyncClient(transport=transport, base_url="http://bare") as client:
                await hammer(client, "/t", bodies(WARM_UP, "LBAREWUP"), {}, concurrency)
                cpu = time.process_time()
                result = await hammer(client, "/t", bodies(n, "LBAREAPP"), {}, concurrency)
                rate = report("baseline", n, *result)
                print(f"  baseline Python CPU {(time.process_time() - cpu) / n * 1000:.2f} ms per entry, "
                      f"3 round trips + BEGIN/COMMIT")
                return rate
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# --- load ----------------------------------------------------------------------------------------------------
def bodies(n: int, prefix: str) -> list[dict]:
    return [transaction_body(vehicle={"vin": make_vin(prefix, i)}) for i in range(n)]


async def hammer(client: httpx.AsyncClient, path: str, items: list[dict], headers: dict,
                 concurrency: int) -> tuple[float, list[float], Counter]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    statuses: Counter = Counter()

    async def one(body: dict) -> None:
        PART.set("request")
        async with gate:
            started = time.perf_counter()
            response = await client.post(path, json=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            statuses[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(body) for body in items))
    return time.perf_counter() - started, latencies, statuses


async def paced(client: httpx.AsyncClient, items: list[dict], headers: dict, rate: float) -> dict[str, float]:
    """POST at ``rate``/s (open loop); when each transaction id was answered."""
    answered: dict[str, float] = {}

    async def one(body: dict) -> None:
        PART.set("request")
        response = await client.post("/api/v1/transactions", json=body, headers=headers)
        if response.status_code == 201:
            answered[response.json()["id"]] = time.perf_counter()

    tasks, started = [], time.perf_counter()
    for i, body in enumerate(items):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one(body)))
    await asyncio.gather(*tasks)
    return answered


def quantiles(values: list[float]) -> list[float]:
    return statistics.quantiles(values, n=100) if len(values) > 1 else values * 99


def report(name: str, n: int, seconds: float, latencies: list[float], statuses: Counter) -> float:
    q = quantiles(latencies)
    print(f"  {name:<8} {n:>6} POSTs in {seconds:6.1f}s = {n / seconds:7.0f}/s   p50 {q[49] * 1000:6.1f} ms  "
          f"p95 {q[94] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms   statuses {dict(statuses)}")
    return n / seconds


async def drained(timeout: float = 60) -> None:
    """Wait until the consumers have been quiet for a second (every event of the run applied)."""
    last, deadline = -1, time.monotonic() + timeout
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        if len(APPLIED) == last:
            return
        last = len(APPLIED)


async def main(n: int, concurrency: int) -> None:
    print(f"bench_entry: {n} POSTs, {concurrency} concurrent")
    bare = await baseline(n, concurrency)

    charge_cpu_to_parts()
    mark_parts()
    count_direct_statements()
    env = system_env(Path(tempfile.mkdtemp(prefix="autocirc-bench-")), pg_url=PG, amqp_url=AMQP,
                     AUTOCIRC_LOG_LEVEL="WARNING", AUTOCIRC_DATABASE_POOL_SIZE=str(concurrency),
                     AUTOCIRC_OUTBOX_POLL_SECONDS="1.0", AUTOCIRC_MEDIA_SYNC_POLL_SECONDS="1.0")  # the defaults
    async with running_system(env) as system:
        for runtime in system.runtimes.values():
            count_statements(runtime.db.engine)
        _, token = await confirmed_enterprise(system.client)
        url, headers = "/api/v1/transactions", bearer(token)
        await hammer(system.client, url, bodies(WARM_UP, "LWARMUP0"), headers, concurrency)
        await drained()
        CPU.clear()
        STATEMENTS.clear()
        applied_before = len(APPLIED)
        gateway = report("gateway", n, *await hammer(system.client, url, bodies(n, "LSVBENCH"), headers, concurrency))
        await drained()
        events = len(APPLIED) - applied_before
        print(f"  ratio gateway ÷ baseline throughput: {gateway / bare:.3f}  (baseline {bare:.0f}/s)")
        print(f"  per entry ({events} events applied by reports):")
        for part in ("request", "relay", "consumer", "other"):
            print(f"    {part:<9} statements {STATEMENTS[part] / n:5.2f}   Python CPU {CPU[part] / n * 1000:6.2f} ms")

        for rate, prefix in RATES:
            answered = await paced(system.client, bodies(rate * PACED_SECONDS, prefix), headers, rate)
            await drained()
            lags = [max(0.0, APPLIED[i] - t) for i, t in answered.items() if i in APPLIED]
            q = quantiles(lags)
            print(f"  freshness at {rate}/s for {PACED_SECONDS}s: {len(lags)} of {len(answered)} entries in the "
                  f"reports sums; 201 → consumer committed p50 {q[49] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, "
                  f"max {max(lags) * 1000:.0f} ms")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args + [2000, 16][len(args):])))
