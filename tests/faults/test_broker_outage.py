"""RELIABILITY scenario 1: the broker connection cut while 2,000 transactions are entered.

The system reaches RabbitMQ only through a TCP proxy (the machine's broker is shared, so it is never
stopped); the proxy drops every connection and refuses new ones for a while, mid-entry, then lets
them through again. Entries keep being accepted (the outbox holds their events); afterwards every
stored transaction is in reports' sums, none twice."""
from __future__ import annotations

import asyncio
import time
from collections import Counter

from autocirc_shared.messaging.tables import outbox
from sqlalchemy import func, select

from tests.integration.test_transactions_excel import record
from tests.support.api import HANGZHOU_XIHU
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import enter_many, facts_known, service_db, until_reconciled

ENTRIES = 2000
ENTERPRISES = 4
CUT_AFTER = 400  # entries stored before the cut
CUT_SECONDS = 30.0  # RELIABILITY scenario 1


async def pending(db) -> int:
    async with db.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None)))


async def test_broker_cut_during_2000_entries_loses_nothing_and_applies_nothing_twice(faulty_system):
    system = faulty_system
    client, proxy = system.client, system.proxy
    transactions, reports = system.runtime("transactions"), system.runtime("reports")
    enterprises = await asyncio.gather(*(confirmed_enterprise(client, residence=HANGZHOU_XIHU)
                                         for _ in range(ENTERPRISES)))
    ids = [e["id"] for e, _ in enterprises]
    per = ENTRIES // ENTERPRISES
    statuses: Counter = Counter()
    skipped_before = reports.consumer.duplicates
    figures: dict = {}
    problems: list = []

    async def cutter() -> None:
        while statuses[201] < CUT_AFTER:
            await asyncio.sleep(0.02)
        await proxy.cut()
        cut_at, stored_at_cut = time.monotonic(), statuses[201]
        peak = 0
        while time.monotonic() - cut_at < CUT_SECONDS:
            peak = max(peak, await pending(transactions.db))
            await asyncio.sleep(0.5)
        figures.update(entered_while_cut=statuses[201] - stored_at_cut, outbox_peak=peak)
        assert not system.bus.is_connected(), "the cut reached the services"
        proxy.restore()
        figures["restored_at"] = time.monotonic()

    started = time.monotonic()
    cut = asyncio.create_task(cutter())
    results = await asyncio.gather(*(
        enter_many(client, token, [record(n * 10_000 + i) for i in range(per)], concurrency=3, statuses=statuses,
                   problems=problems)
        for n, (_, token) in enumerate(enterprises)))
    entry_seconds = time.monotonic() - started
    await cut
    stored = sum(len(r[0]) for r in results)
    assert statuses == Counter({201: ENTRIES}), (statuses, problems[:3])

    tx_db, reports_db = service_db(system.env, "transactions"), service_db(system.env, "reports")
    try:
        result, after_entries = await until_reconciled(tx_db, reports_db, ids, timeout=180)
        drain = time.monotonic() - figures["restored_at"]
        known = await facts_known(reports_db, ids)
    finally:
        await asyncio.gather(tx_db.dispose(), reports_db.dispose())
    report("broker_cut", entries=stored, entries_per_second=stored / entry_seconds, cut_seconds=CUT_SECONDS,
           entered_while_cut=figures["entered_while_cut"], outbox_peak=figures["outbox_peak"],
           summed=result.applied, lost=result.lost, duplicates_applied=result.duplicates,
           redeliveries_skipped=reports.consumer.duplicates - skipped_before, drain_seconds=drain,
           drain_after_last_entry_seconds=after_entries)
    assert figures["entered_while_cut"] > 0, "entries went on while the broker was away"
    assert result.records == ENTRIES and known == ENTRIES
    assert result.lost == 0 and result.duplicates == 0 and result.matches
    assert await pending(transactions.db) == 0
