"""Entering many transactions at once, and reconciling what reports summed with what transactions stored.

The reconciliation reads each service's own database (a test may; services never do): per enterprise,
month and report category, the count and amount of the stored records must equal reports' sums, and
reports must know every stored transaction exactly once (its facts table has one row per transaction).
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from decimal import Decimal

from autocirc_reports.models.facts import transaction_facts, transaction_sums
from autocirc_shared.db import Database, service_database_url
from autocirc_shared.settings import CommonSettings
from autocirc_transactions.models.transactions import Transaction
from sqlalchemy import select

from .api import bearer


def service_db(env: dict[str, str], service: str) -> Database:
    """A connection pool on one service's database, from a system's environment."""
    settings = CommonSettings(database_url=env.get("AUTOCIRC_DATABASE_URL") or None,
                              database_prefix=env["AUTOCIRC_DATABASE_PREFIX"], data_dir=env["AUTOCIRC_DATA_DIR"])
    return Database(service_database_url(settings, service), pool_size=2)


async def enter_many(client, token: str, bodies: list[dict], concurrency: int = 8,
                     url: str = "/api/v1/transactions", statuses: Counter | None = None,
                     problems: list | None = None) -> tuple[list[str], Counter]:
    """POST every body with ``concurrency`` requests in flight; the ids stored and a count of statuses
    (pass ``statuses`` to watch the progress from elsewhere, ``problems`` to keep the bodies of the
    answers other than 201, for an assertion to show what went wrong)."""
    ids: list[str] = []
    statuses = Counter() if statuses is None else statuses
    queue = list(reversed(bodies))

    async def worker() -> None:
        while queue:
            body = queue.pop()
            response = await client.post(url, json=body, headers=bearer(token))
            statuses[response.status_code] += 1
            if response.status_code == 201:
                ids.append(response.json()["id"])
            elif problems is not None:
                problems.append((response.status_code, response.text[:300]))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ids, statuses


def _month(day) -> str:
    return f"{day.year:04d}-{day.month:02d}"


async def stored_totals(transactions_db: Database, enterprise_ids) -> dict[tuple, tuple[int, Decimal]]:
    """(enterprise, month, category) → (count, amount in yuan) of the records transactions stored."""
    out: dict[tuple, list] = {}
    async with transactions_db.sessionmaker() as session:
        rows = await session.execute(select(Transaction.enterprise_id, Transaction.trade_date,
                                            Transaction.report_category, Transaction.price)
                                     .where(Transaction.enterprise_id.in_(list(enterprise_ids))))
        for enterprise_id, day, category, price in rows:
            entry = out.setdefault((enterprise_id, _month(day), category), [0, Decimal(0)])
            entry[0] += 1
            entry[1] += Decimal(price)
    return {k: (n, amount) for k, (n, amount) in out.items()}


async def summed_totals(reports_db: Database, enterprise_ids) -> dict[tuple, tuple[int, Decimal]]:
    """The same figures as reports' pre-fill sums hold them (rows netted to zero left out)."""
    async with reports_db.sessionmaker() as session:
        rows = await session.execute(select(transaction_sums.c.enterprise_id, transaction_sums.c.month,
                                            transaction_sums.c.category, transaction_sums.c["count"],
                                            transaction_sums.c.amount_yuan)
                                     .where(transaction_sums.c.enterprise_id.in_(list(enterprise_ids))))
        return {(e, m, c): (n, Decimal(a)) for e, m, c, n, a in rows if n or a}


async def facts_known(reports_db: Database, enterprise_ids) -> int:
    """How many live (not deleted) transactions reports knows of."""
    async with reports_db.sessionmaker() as session:
        rows = await session.execute(select(transaction_facts.c.transaction_id)
                                     .where(transaction_facts.c.enterprise_id.in_(list(enterprise_ids)),
                                            transaction_facts.c.deleted.is_(False),
                                            transaction_facts.c.version > 0))
        return len(rows.all())


class Reconciliation:
    """What reports summed against what transactions stored, for some enterprises."""

    def __init__(self, stored: dict, summed: dict) -> None:
        self.stored = stored
        self.summed = summed
        self.records = sum(n for n, _ in stored.values())
        self.applied = sum(n for n, _ in summed.values())
        # per key: a record missing from the sums is lost; one counted more than stored is applied twice
        self.lost = sum(max(0, n - summed.get(k, (0, 0))[0]) for k, (n, _) in stored.items())
        self.duplicates = sum(max(0, n - stored.get(k, (0, 0))[0]) for k, (n, _) in summed.items())

    @property
    def matches(self) -> bool:
        return self.stored == self.summed


async def reconcile(transactions_db: Database, reports_db: Database, enterprise_ids) -> Reconciliation:
    return Reconciliation(await stored_totals(transactions_db, enterprise_ids),
                          await summed_totals(reports_db, enterprise_ids))


async def until_reconciled(transactions_db: Database, reports_db: Database, enterprise_ids,
                           timeout: float = 120.0, done=None) -> tuple[Reconciliation, float]:
    """Poll until the sums match the records (or ``done(reconciliation)`` holds); the last
    reconciliation and the seconds it took. Returns (does not raise) on timeout, so the caller can
    report the figures before asserting."""
    started = time.monotonic()
    done = done or (lambda r: r.matches)
    while True:
        result = await reconcile(transactions_db, reports_db, enterprise_ids)
        if done(result) or time.monotonic() - started > timeout:
            return result, time.monotonic() - started
        await asyncio.sleep(0.25)
