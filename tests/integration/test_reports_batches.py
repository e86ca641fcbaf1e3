"""RELIABILITY scenario 18: set events (an import chunk) delivered twice and split across two reports
replicas change the sums once; a poison message in a delivery batch is dead-lettered alone.

Two reports runtimes (their own RabbitMQ connections, pools and consumers) compete on one queue of real
RabbitMQ over one PostgreSQL database. What they receive is published straight onto the bus: the same set
envelope twice (a relay republishing after a crash), the same records again as a second set and as single
events (two routes to one fact), amendments of some and deletions of others, in random order."""
from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from autocirc_reports.domain.facts import SUM_COLUMNS, SumDeltas
from autocirc_reports.main import create_runtime
from autocirc_reports.models.facts import transaction_sums
from autocirc_reports.settings import ReportsSettings
from autocirc_shared.events.transactions import (
    RecordedItem,
    TransactionAmended,
    TransactionDeleted,
    TransactionFacts,
    TransactionRecorded,
    TransactionsRecordedSet,
)
from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.factory import bus_from_settings
from autocirc_shared.messaging.rabbit import RabbitBus
from sqlalchemy import select

from tests.support.facts import sample_facts
from tests.support.system import delete_bus_objects, drop_databases
from tests.support.waiting import eventually

CATEGORIES = ("passenger_basic", "suv", "mpv")


def facts(enterprise_id: str, n: int, **changes) -> TransactionFacts:
    values = dict(enterprise_id=enterprise_id, region_code="110101", trade_date=date(2026, 10, 1 + n % 28),
                  report_category=CATEGORIES[n % 3], amount_yuan=Decimal(f"{50_000 + n}.25"),
                  trade_type="direct" if n % 2 else "consignment", first_registration_date=date(2015 + n % 10, 3, 1))
    return sample_facts(**{**values, **changes})


def envelope(event) -> Envelope:
    return Envelope.wrap(event, "transactions")


async def sums_of(runtime) -> dict:
    async with runtime.db.sessionmaker() as session:
        rows = (await session.execute(select(transaction_sums))).mappings().all()
    return {(r["enterprise_id"], r["month"], r["category"]): {c: r[c] for c in SUM_COLUMNS} for r in rows
            if any(r[c] for c in SUM_COLUMNS)}


def expected_sums(final: dict[str, TransactionFacts | None]) -> dict:
    deltas = SumDeltas()
    for state in final.values():
        deltas.add(None, state)
    return {(k.enterprise_id, k.month, k.category): v for k, _, v in deltas.rows()}


async def test_set_events_delivered_twice_and_split_across_two_replicas_change_the_sums_once(pg_url, amqp_url,
                                                                                             tmp_path: Path):
    prefix = ns = f"b{uuid.uuid4().hex[:8]}"
    settings = ReportsSettings(database_url=pg_url, database_prefix=prefix, amqp_url=amqp_url, bus_namespace=ns,
                               data_dir=tmp_path, bus_batch=50)
    buses = [bus_from_settings(settings), bus_from_settings(settings)]  # started below, once messages wait
    replicas = [create_runtime(settings, bus=bus) for bus in buses]
    publisher = RabbitBus(amqp_url, namespace=ns)  # declares every queue, reports' too, when it connects
    try:
        for runtime in replicas:
            await runtime.start()
        await publisher.start()
        enterprise = str(uuid.uuid4())
        ids = [str(uuid.uuid4()) for _ in range(2_000)]
        now = datetime.now(UTC)
        final: dict[str, TransactionFacts | None] = {tid: facts(enterprise, n) for n, tid in enumerate(ids)}
        chunks = [ids[i:i + 1000] for i in range(0, len(ids), 1000)]
        sets = [envelope(TransactionsRecordedSet(
            items=[RecordedItem(transaction_id=tid, facts=final[tid]) for tid in chunk], source="import",
            recorded_at=now)) for chunk in chunks]
        again = envelope(TransactionsRecordedSet(  # the first set's records again, as a new message
            items=[RecordedItem(transaction_id=tid, facts=final[tid]) for tid in chunks[0]], source="import",
            recorded_at=now))
        singles = [envelope(TransactionRecorded(transaction_id=tid, version=1, facts=final[tid], recorded_at=now))
                   for tid in ids[::7]]
        rng = random.Random(18)
        changed = rng.sample(ids, 300)
        amendments = []
        for n, tid in enumerate(changed[:200]):
            final[tid] = facts(enterprise, n + 5, amount_yuan=Decimal("77777.77"), report_category="truck")
            amendments.append(envelope(TransactionAmended(transaction_id=tid, version=2, facts=final[tid],
                                                          amended_at=now)))
        deletions = []
        for tid in changed[200:]:
            final[tid] = None
            deletions.append(envelope(TransactionDeleted(transaction_id=tid, version=2, enterprise_id=enterprise,
                                                         deleted_at=now)))
        messages = [*sets, *sets, again, *singles, *amendments, *deletions]
        rng.shuffle(messages)
        # queued before either replica consumes: both then take deliveries while others wait, so batches form
        # however fast the broker hands messages over (delivered as published, each can come alone)
        await publisher.publish(messages)
        await asyncio.wait_for(asyncio.gather(*(bus.start() for bus in buses)), 30)

        consumers = [r.consumer for r in replicas]

        async def all_taken() -> bool:
            return sum(c.applied + c.duplicates for c in consumers) >= len(messages)

        await eventually(all_taken, timeout=60)
        await asyncio.sleep(0.5)  # nothing more arrives
        assert await sums_of(replicas[0]) == expected_sums(final)
        assert sum(c.duplicates for c in consumers) == len(sets), "the repeated set envelopes were skipped"
        assert all(c.applied for c in consumers), "both replicas took part"
        assert sum(c.batches for c in consumers) > 0, "applied in batches"
        assert await replicas[0].bus.dead_letters("reports") == []
    finally:
        for runtime in replicas:
            await runtime.stop()
        for bus in [*buses, publisher]:
            await bus.stop()
        await drop_databases(pg_url, prefix, services=["reports"])
        await delete_bus_objects(amqp_url, ns)


async def test_a_poison_message_in_a_batch_is_dead_lettered_alone(pg_url, amqp_url, tmp_path: Path):
    """The batch with the poison fails, falls back to one by one: its neighbours are applied at once."""
    prefix = ns = f"b{uuid.uuid4().hex[:8]}"
    settings = ReportsSettings(database_url=pg_url, database_prefix=prefix, amqp_url=amqp_url, bus_namespace=ns,
                               data_dir=tmp_path, bus_batch=50, bus_retry_base_seconds=0.05, bus_max_attempts=3)
    runtime = create_runtime(settings)
    consumer = runtime.consumer
    enterprise, poison_id = str(uuid.uuid4()), str(uuid.uuid4())
    real = consumer.batch_handlers[TransactionRecorded.NAME]

    async def buggy(events, uow):
        if any(getattr(e, "transaction_id", None) == poison_id for e in events):
            raise RuntimeError("模拟的缺陷")
        await real(events, uow)

    async def buggy_one(event, uow):
        await buggy([event], uow)

    for name in list(consumer.batch_handlers):
        consumer.batch_handlers[name] = buggy
        consumer.handlers[name] = [buggy_one]
    try:
        await runtime.start()
        await asyncio.wait_for(runtime.bus.wait_connected(), 30)
        now = datetime.now(UTC)
        good = {str(uuid.uuid4()): facts(enterprise, n) for n in range(40)}
        events = [TransactionRecorded(transaction_id=tid, version=1, facts=f, recorded_at=now) for tid, f in good.items()]
        events.insert(17, TransactionRecorded(transaction_id=poison_id, version=1, facts=facts(enterprise, 99),
                                              recorded_at=now))
        await runtime.bus.publish([envelope(e) for e in events])
        dead = await eventually(lambda: runtime.bus.dead_letters("reports"), timeout=30)
        assert [d.envelope.payload["transaction_id"] for d in dead] == [poison_id]
        assert dead[0].attempts == 3 and "模拟的缺陷" in dead[0].reason
        assert await sums_of(runtime) == expected_sums(good), "every neighbour applied, the poison not"
    finally:
        await runtime.stop()
        await drop_databases(pg_url, prefix, services=["reports"])
        await delete_bus_objects(amqp_url, ns)


async def test_embedded_bus_applies_a_repeated_set_once_on_sqlite(tmp_path: Path):
    """The same in the embedded mode: in-process bus (batches too), SQLite."""
    from autocirc_shared.messaging.inprocess import InProcessBus

    bus = InProcessBus(journal=tmp_path / "bus.sqlite3")
    runtime = create_runtime(ReportsSettings(database_url=None, amqp_url=None, data_dir=tmp_path), bus=bus)
    try:
        await runtime.start()
        await bus.start()
        enterprise, now = str(uuid.uuid4()), datetime.now(UTC)
        final = {str(uuid.uuid4()): facts(enterprise, n) for n in range(1000)}
        items = [RecordedItem(transaction_id=tid, facts=f) for tid, f in final.items()]
        first = envelope(TransactionsRecordedSet(items=items, source="batch", recorded_at=now))
        second = envelope(TransactionsRecordedSet(items=items[:500], source="batch", recorded_at=now))
        singles = [envelope(TransactionRecorded(transaction_id=i.transaction_id, version=1, facts=i.facts,
                                                recorded_at=now)) for i in items[::10]]
        await bus.publish([first, first, second, *singles])

        async def all_taken() -> bool:
            return runtime.consumer.applied + runtime.consumer.duplicates >= 3 + len(singles)

        await eventually(all_taken, timeout=30)
        assert await sums_of(runtime) == expected_sums(final)
        assert runtime.consumer.duplicates == 1
    finally:
        await runtime.stop()
        await bus.stop()
