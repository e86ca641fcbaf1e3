"""Soak (RELIABILITY.md scenario 15): transactions entered at a steady rate for a long time through the
gateway, on real PostgreSQL and RabbitMQ, watching errors, memory and outbox lag.

Each minute prints: entries, non-201 answers, request p99, the process's RSS, the outbox lag p99 of the
events committed in that minute (sent_at - created_at in the transactions service's outbox) and the
reports service's applied count. The baseline is the first minute of the same run: the last line gives
memory growth and lag as ratios against it (the bars: errors 0, memory growth < 10 %).

Usage: .venv/bin/python bench/bench_soak.py [rate_per_second] [minutes]   (default 20 10)
"""
from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autocirc_shared.memory import status_mib  # noqa: E402
from autocirc_shared.messaging.tables import outbox  # noqa: E402

from tests.support.api import bearer  # noqa: E402
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body  # noqa: E402
from tests.support.system import running_system, system_env  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"


def rss_mib() -> float:
    rss = status_mib("VmRSS")
    return rss if rss is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else (values[0] if values else 0.0)


async def outbox_lags(runtime, since, until) -> list[float]:
    async with runtime.db.sessionmaker() as session:
        rows = (await session.execute(select(outbox.c.created_at, outbox.c.sent_at)
                                      .where(outbox.c.created_at >= since, outbox.c.created_at < until))).all()
    return [(sent - created).total_seconds() for created, sent in rows if sent is not None]


async def main(rate: float, minutes: int) -> None:
    print(f"bench_soak: {rate:g} entries/s for {minutes} min through the gateway (PostgreSQL + RabbitMQ)")
    env = system_env(Path(tempfile.mkdtemp(prefix="autocirc-soak-")), pg_url=PG, amqp_url=AMQP,
                     AUTOCIRC_LOG_LEVEL="WARNING")
    async with running_system(env) as system:
        _, token = await confirmed_enterprise(system.client)
        transactions, reports = system.runtime("transactions"), system.runtime("reports")
        headers, interval = bearer(token), 1.0 / rate
        rows: list[tuple] = []
        errors = serial = 0
        for minute in range(1, minutes + 1):
            latencies: list[float] = []
            minute_errors = 0
            db_now = await _db_now(transactions)
            tasks: list[asyncio.Task] = []
            started = time.perf_counter()

            async def one(body: dict, latencies: list[float] = latencies) -> None:
                nonlocal minute_errors
                sent = time.perf_counter()
                response = await system.client.post("/api/v1/transactions", json=body, headers=headers)
                latencies.append(time.perf_counter() - sent)
                minute_errors += response.status_code != 201

            for i in range(int(rate * 60)):  # open loop: a slow answer never slows the arrivals
                await asyncio.sleep(max(0.0, started + i * interval - time.perf_counter()))
                serial += 1
                tasks.append(asyncio.create_task(one(transaction_body(vehicle={"vin": make_vin("LSVSKA00", serial)}))))
            await asyncio.gather(*tasks)
            await asyncio.sleep(1.0)  # let the relay mark the minute's last events sent
            lags = await outbox_lags(transactions, db_now, db_now + timedelta(seconds=61))
            errors += minute_errors
            rows.append((minute, len(tasks), minute_errors, p99(latencies), rss_mib(), p99(lags),
                         reports.consumer.applied if reports.consumer else 0))
            print(f"  min {rows[-1][0]:>3}: {rows[-1][1]:>5} entries  errors {rows[-1][2]:>3}  request p99 {rows[-1][3] * 1000:7.1f} ms  RSS {rows[-1][4]:7.1f} MiB  "
                  f"outbox lag p99 {rows[-1][5] * 1000:7.1f} ms  reports applied {rows[-1][6]:>7}", flush=True)
    base, last = rows[0], rows[-1]
    growth = (last[4] - base[4]) / base[4]
    print(f"  errors {errors}; memory {base[4]:.1f} → {last[4]:.1f} MiB ({growth:+.1%} against minute 1); "
          f"outbox lag p99 {last[5] * 1000:.1f} ms ({last[5] / max(base[5], 1e-6):.2f}× minute 1); "
          f"request p99 {last[3] / max(base[3], 1e-6):.2f}× minute 1")


async def _db_now(runtime):
    async with runtime.db.sessionmaker() as session:
        return await session.scalar(select(func.now()))


if __name__ == "__main__":
    args = [float(a) for a in sys.argv[1:3]]
    rate, minutes = (args + [20, 10][len(args):])
    asyncio.run(main(rate, int(minutes)))
