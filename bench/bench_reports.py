"""Report pre-fill and statistics with a million transactions' facts, beside ``SELECT count(*)``.

Loads N transactions' facts (default 1,000,000: 2,000 enterprises in Beijing and Zhejiang
districts, every day of 2026, ten categories) straight into a fresh reports database with
PostgreSQL ``COPY`` (asyncpg ``copy_records_to_table``), not through events: the per-enterprise,
per-month, per-category sums are computed here with the service's own bucket rules and
copied too, and so are one filed used-car monthly report per enterprise and month (its lines).
Then, in the same run, it times (median of several runs, warm cache) the service's own queries
against the baseline ``SELECT count(*) FROM transaction_facts`` over the same table:

- the draft of one enterprise (a month; a year summed from twelve months),
- regional statistics from the transaction sums and from the filed reports' lines.

Usage: .venv/bin/python bench/bench_reports.py [N]   (needs PostgreSQL on 127.0.0.1)
"""
from __future__ import annotations

import asyncio
import random
import statistics as stats
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import autocirc_reports
from autocirc_reports.domain.facts import COUNTERS, SUM_COLUMNS, contribution, month_of
from autocirc_reports.domain.kinds import CATEGORIES, SPECS
from autocirc_reports.domain.periods import Period
from autocirc_reports.usecases.draft import draft_figures
from autocirc_reports.usecases.statistics import StatisticsQuery, statistics
from autocirc_shared.db import Database, ensure_database, service_database_url
from autocirc_shared.events.transactions import FACT_FIELDS, TransactionFacts
from autocirc_shared.migrations import upgrade_head
from autocirc_shared.settings import CommonSettings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.facts import sample_values  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
ENTERPRISES = 2000
DISTRICTS = ["110101", "110102", "110105", "110106", "110108", "110114", "330102", "330106", "330108", "330110"]
MIGRATIONS = Path(autocirc_reports.__file__).parent / "migrations"
FACT_COLUMNS = ["transaction_id", "enterprise_id", "version", "deleted", *FACT_FIELDS]


def generate(n: int, rng: random.Random):
    """N facts rows, and the sums rows they add up to (bucketed by the service's own ``contribution``)."""
    enterprises = [(str(uuid.UUID(int=rng.getrandbits(128))), DISTRICTS[i % len(DISTRICTS)])
                   for i in range(ENTERPRISES)]
    categories = list(CATEGORIES)
    start = date(2026, 1, 1)
    sums: dict[tuple, dict] = {}
    facts = []
    for _ in range(n):
        enterprise, region = enterprises[rng.randrange(ENTERPRISES)]
        traded = start + timedelta(days=rng.randrange(365))
        fact = TransactionFacts.model_construct(**sample_values(
            enterprise_id=enterprise, region_code=region, trade_date=traded,
            report_category=categories[rng.randrange(len(categories))],
            amount_yuan=Decimal(rng.randrange(500_000, 50_000_000)) / 100,
            trade_type="direct" if rng.random() < 0.7 else "consignment",
            transfer="local" if rng.random() < 0.6 else "out",
            usage="non_operating" if rng.random() < 0.9 else "operating",
            origin="domestic" if rng.random() < 0.85 else "imported",
            first_registration_date=traded - timedelta(days=rng.randrange(1, 15 * 365))))
        facts.append((str(uuid.UUID(int=rng.getrandbits(128))), enterprise, 1, False,
                      *(getattr(fact, c) for c in FACT_COLUMNS[4:])))
        key = (enterprise, month_of(traded), fact.report_category, region)
        row = sums.setdefault(key, dict.fromkeys(SUM_COLUMNS, 0))
        for column, value in contribution(fact).items():
            row[column] += value
    sum_rows = [(*key, *(row[c] for c in SUM_COLUMNS)) for key, row in sums.items()]
    return enterprises, facts, sum_rows


def report_lines(sum_rows):
    """One filed used-car monthly report per enterprise and month, equal to its sums (10 lines each)."""
    spec = SPECS["used-car-monthly"]
    by_report: dict[tuple, dict] = defaultdict(dict)
    for e, m, c, r, amount, *counts in sum_rows:
        by_report[(e, m, r)][c] = (amount, dict(zip(COUNTERS, counts)))
    created = datetime.now(UTC)
    reports, lines = [], []
    for (e, m, r), cats in by_report.items():
        report_id = str(uuid.uuid4())
        reports.append((report_id, e, spec.kind, m, int(m[:4]), int(m[5:]), (int(m[5:]) - 1) // 3 + 1, r, "bench",
                        None, created, created))
        for i, category in enumerate(CATEGORIES):
            amount, counts = cats.get(category, (Decimal(0), {k: 0 for k in COUNTERS}))
            lines.append((report_id, i, e, m, r, category, (amount / 10000).quantize(Decimal("0.0001")),
                          *(counts[name] for name in ("count", "direct_count", "consignment_count",
                                                      "local_transfer_count", "out_transfer_count",
                                                      "operating_count", "non_operating_count"))))
    return reports, lines


async def load(dsn: str, n: int) -> tuple[str, dict]:
    rng = random.Random(20261124)
    started = time.perf_counter()
    enterprises, facts, sum_rows = generate(n, rng)
    reports, lines = report_lines(sum_rows)
    generated = time.perf_counter() - started
    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        await conn.copy_records_to_table("transaction_facts", records=facts, columns=FACT_COLUMNS)
        await conn.copy_records_to_table("transaction_sums", records=sum_rows, columns=[
            "enterprise_id", "month", "category", "region_code", "amount_yuan", *COUNTERS])
        await conn.copy_records_to_table("enterprise_kinds", records=[("used-car-monthly", e) for e, _ in enterprises],
                                         columns=["kind", "enterprise_id"])
        await conn.copy_records_to_table("reports", records=reports, columns=[
            "id", "enterprise_id", "kind", "period", "year", "month", "quarter", "region_code", "filler_name",
            "filler_phone", "created_at", "updated_at"])
        await conn.copy_records_to_table("lines_used_car_monthly", records=lines, columns=[
            "report_id", "line_no", "enterprise_id", "period", "region_code", "category", "amount_wan", "count",
            "direct_count", "consignment_count", "local_transfer_count", "out_transfer_count", "operating_count",
            "non_operating_count"])
        await conn.execute("ANALYZE")
        copied = time.perf_counter() - started
    finally:
        await conn.close()
    sizes = {"facts": len(facts), "sums": len(sum_rows), "reports": len(reports), "lines": len(lines),
             "generated_s": generated, "copied_s": copied}
    return enterprises[0][0], sizes


async def timed(make, runs: int) -> float:
    """Median wall time of ``runs`` awaits of ``make()`` (after one warm-up), in milliseconds."""
    await make()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await make()
        samples.append((time.perf_counter() - started) * 1000)
    return stats.median(samples)


async def main(n: int) -> None:
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    settings = CommonSettings(database_url=PG, database_prefix=prefix)
    await ensure_database(settings, "reports")
    url = service_database_url(settings, "reports")
    await upgrade_head(MIGRATIONS, url)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    db = Database(url)
    try:
        enterprise, sizes = await load(dsn, n)
        spec, annual = SPECS["used-car-monthly"], SPECS["market-annual"]
        october, year = Period.parse("2026-10"), Period.parse("2026")

        async def session_run(fn):
            async with db.sessionmaker() as session:
                return await fn(session)

        cases = {
            "baseline  SELECT count(*) FROM transaction_facts": (
                lambda: session_run(lambda s: s.scalar(text("SELECT count(*) FROM transaction_facts"))), 5),
            "draft     used-car-monthly 2026-10, one enterprise": (
                lambda: session_run(lambda s: draft_figures(s, spec, enterprise, october)), 50),
            "draft     market-annual 2026 (12 months summed)": (
                lambda: session_run(lambda s: draft_figures(s, annual, enterprise, year)), 50),
            "stats     2026-10 national by category (transactions)": (
                lambda: session_run(lambda s: statistics(s, StatisticsQuery(spec, october, "000000", "category",
                                                                            "transactions"))), 10),
            "stats     2026 Beijing by district (transactions)": (
                lambda: session_run(lambda s: statistics(s, StatisticsQuery(spec, year, "110000", "region",
                                                                            "transactions"))), 10),
            "stats     2026-10 national by category (filed reports)": (
                lambda: session_run(lambda s: statistics(s, StatisticsQuery(spec, october, "000000", "category",
                                                                            "reports"))), 10),
            "stats     2026 Beijing by district (filed reports)": (
                lambda: session_run(lambda s: statistics(s, StatisticsQuery(spec, year, "110000", "region",
                                                                            "reports"))), 10),
        }
        results = {name: await timed(make, runs) for name, (make, runs) in cases.items()}
    finally:
        await db.dispose()
        engine = create_async_engine(PG.replace("postgresql://", "postgresql+asyncpg://"), isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_reports" WITH (FORCE)'))
        await engine.dispose()
    print(f"facts {sizes['facts']:,} rows, sums {sizes['sums']:,} rows, filed reports {sizes['reports']:,} "
          f"({sizes['lines']:,} lines); generated in {sizes['generated_s']:.1f} s, "
          f"COPY + ANALYZE {sizes['copied_s']:.1f} s")
    base = next(iter(results.values()))
    for name, ms in results.items():
        print(f"{name:58s} {ms:9.2f} ms   ratio {ms / base:7.4f}× baseline")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
