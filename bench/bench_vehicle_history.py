"""Vehicle history look-up by VIN at national scale, beside a ``SELECT count(*)`` over the same rows.

Builds a scratch PostgreSQL database with the transactions service's own migrations (its real
indexes), fills ``transactions`` with N records (default 1,000,000; ~2.5 sales per VIN, 2,000
enterprises) by ``generate_series``, then times (a) the history query of services/transactions
(``vehicle_history``: the records of one VIN with the enterprise's name) for random VINs and
(b) ``SELECT count(*) FROM transactions``, the cheapest statement that touches every row.
The look-up must be an index read: its time does not grow with N, and the plan is printed.

Usage: .venv/bin/python bench/bench_vehicle_history.py [N]   (needs PostgreSQL on 127.0.0.1)
"""
from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import autocirc_transactions
from autocirc_shared.migrations import upgrade_head
from autocirc_transactions.usecases.vehicle_lookup import vehicle_history
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/"
MIGRATIONS = Path(autocirc_transactions.__file__).parent / "migrations"
VINS_PER_RECORD = 0.4
LOOKUPS = 200

FILL = """
INSERT INTO transactions (id, enterprise_id, region_code, version, source, reported_at, reported_on, created_by,
  updated_at, updated_by, buyer_name, seller_name, vin, plate_number, vehicle_type, report_category, usage, origin,
  first_registration_date, trade_date, trade_type, transfer, price, mileage_km, data)
SELECT md5(i::text)::uuid::text, 'e' || lpad((i % 2000)::text, 35, '0'), '110101', 1, 'api',
  now() - (i || ' seconds')::interval, current_date, 'bench', now(), 'bench', '李四', '某某公司',
  'LBENCH' || lpad((i % :vins)::text, 11, '0'), '京A' || lpad((i % 100000)::text, 5, '0'), 'K33',
  'passenger_basic', 'non_operating', 'domestic', date '2015-01-01', date '2020-01-01' + (i / :vins),
  'direct', 'local', 50000, 10000 + (i / :vins) * 20000 + (i % 7), '{}'
FROM generate_series(1, :n) AS i
"""


def vin_of(number: int) -> str:
    return "LBENCH" + f"{number:011d}"


async def main(n: int) -> None:
    name = f"bench_vehicles_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_async_engine(SERVER + name)
    try:
        await upgrade_head(MIGRATIONS, SERVER + name)
        vins = max(1, int(n * VINS_PER_RECORD))
        started = time.perf_counter()
        async with engine.begin() as conn:
            await conn.execute(text(FILL), {"n": n, "vins": vins})
            await conn.execute(text("INSERT INTO enterprises (enterprise_id, name, uscc, types, region_code, "
                                    "region_as_of) SELECT 'e' || lpad(i::text, 35, '0'), '企业' || i, NULL, '[]', "
                                    "'110101', now() FROM generate_series(0, 1999) AS i"))
        admin_conn = create_async_engine(SERVER + name, isolation_level="AUTOCOMMIT")
        async with admin_conn.connect() as conn:
            await conn.execute(text("VACUUM ANALYZE transactions"))
        await admin_conn.dispose()
        print(f"{n:,} records, {vins:,} VINs generated in {time.perf_counter() - started:.1f} s")

        sessions = async_sessionmaker(engine)
        async with sessions() as session:
            uow = SimpleNamespace(session=session)
            await vehicle_history(uow, vin_of(1))  # warm the connection and the plan cache
            timings, found = [], 0
            for number in random.sample(range(vins), min(LOOKUPS, vins)):
                began = time.perf_counter()
                found += len(await vehicle_history(uow, vin_of(number)))
                timings.append(time.perf_counter() - began)
            counts = []
            for _ in range(5):
                began = time.perf_counter()
                total = await session.scalar(text("SELECT count(*) FROM transactions"))
                counts.append(time.perf_counter() - began)
            plan = (await session.execute(text(
                "EXPLAIN SELECT * FROM transactions WHERE vin = :vin"), {"vin": vin_of(7)})).scalars().all()
        lookup, count = statistics.median(timings), statistics.median(counts)
        print(f"VIN look-up (history query, median of {len(timings)}): {lookup * 1000:.2f} ms "
              f"(p95 {sorted(timings)[int(len(timings) * 0.95) - 1] * 1000:.2f} ms, {found / len(timings):.1f} records each)")
        print(f"SELECT count(*) over {total:,} records (median of 5):   {count * 1000:.2f} ms")
        print(f"ratio count(*) / look-up: {count / lookup:.0f}x")
        print("plan:", " | ".join(line.strip() for line in plan))
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
