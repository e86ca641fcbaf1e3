"""Single-entry throughput (二手车销售情况录入) through the gateway, beside a bare FastAPI POST of the
same pydantic model, both measured in this run with the same requests and concurrency.

Baseline: a bare FastAPI app with one POST route whose body is ``TransactionIn`` (parse, validate,
answer 201 with an id), nothing else.
Measured: ``POST /api/v1/transactions`` through the embedded gateway (request id, token check,
routing) into the transactions service (token again, filing gate, check_transaction with every
domain rule, insert + audit entry + outbox event in one commit) on real PostgreSQL, with the relay
publishing to RabbitMQ. Both are called over httpx's ASGI transport in this process.

Usage: .venv/bin/python bench/bench_entry.py [N] [concurrency]   (default 2000 16; needs PostgreSQL
and RabbitMQ on 127.0.0.1)
"""
from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autocirc_transactions.domain.schemas import TransactionIn  # noqa: E402

from tests.support.api import bearer  # noqa: E402
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body  # noqa: E402
from tests.support.system import running_system, system_env  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
WARM_UP = 30


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/t", status_code=201)
    async def create(body: TransactionIn) -> dict:
        return {"id": str(uuid.uuid4()), "vin": body.vehicle.vin}

    return app


def bodies(n: int, prefix: str) -> list[dict]:
    return [transaction_body(vehicle={"vin": make_vin(prefix, i)}) for i in range(n)]


async def hammer(client: httpx.AsyncClient, path: str, items: list[dict], headers: dict,
                 concurrency: int) -> tuple[float, list[float], Counter]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    statuses: Counter = Counter()

    async def one(body: dict) -> None:
        async with gate:
            started = time.perf_counter()
            response = await client.post(path, json=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            statuses[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(body) for body in items))
    return time.perf_counter() - started, latencies, statuses


def report(name: str, n: int, seconds: float, latencies: list[float], statuses: Counter) -> float:
    q = statistics.quantiles(latencies, n=100)
    print(f"  {name:<8} {n:>6} POSTs in {seconds:6.1f}s = {n / seconds:7.0f}/s   p50 {q[49] * 1000:6.1f} ms  "
          f"p95 {q[94] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms   statuses {dict(statuses)}")
    return n / seconds


async def main(n: int, concurrency: int) -> None:
    print(f"bench_entry: {n} POSTs, {concurrency} concurrent")
    transport = httpx.ASGITransport(app=bare_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://bare") as client:
        await hammer(client, "/t", bodies(WARM_UP, "LBAREWUP"), {}, concurrency)
        bare = report("bare", n, *await hammer(client, "/t", bodies(n, "LBAREAPP"), {}, concurrency))

    env = system_env(Path(tempfile.mkdtemp(prefix="autocirc-bench-")), pg_url=PG, amqp_url=AMQP,
                     AUTOCIRC_LOG_LEVEL="WARNING")
    async with running_system(env) as system:
        _, token = await confirmed_enterprise(system.client)
        url, headers = "/api/v1/transactions", bearer(token)
        await hammer(system.client, url, bodies(WARM_UP, "LWARMUP0"), headers, concurrency)
        gateway = report("gateway", n, *await hammer(system.client, url, bodies(n, "LSVBENCH"), headers, concurrency))
    print(f"  ratio gateway ÷ bare throughput: {gateway / bare:.3f}  (bare is {bare / gateway:.0f}× faster)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args + [2000, 16][len(args):])))
