"""The bus guarantees, proven on real RabbitMQ and PostgreSQL:
outbox catch-up after a broker outage, exactly-once application of duplicates, dead letters
with their reason and re-drive, and two competing replicas never applying a message twice."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from autocirc_gateway.settings import SERVICES
from autocirc_shared.db import Database, ensure_database, service_database_url
from autocirc_shared.events.base import Event
from autocirc_shared.messaging.bus import QueueDepth
from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.inbox import InboxConsumer, Subscription
from autocirc_shared.messaging.outbox import OutboxRelay
from autocirc_shared.messaging.rabbit import RabbitBus
from autocirc_shared.messaging.tables import messaging_metadata, outbox
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.settings import CommonSettings
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from tests.support.system import delete_bus_objects, drop_databases
from tests.support.tcpproxy import TcpProxy


class Pinged(Event):
    NAME = "test.pinged.v1"
    n: int


test_metadata = MetaData()
applied = Table("applied", test_metadata, Column("message_id", String(36), primary_key=True),
                Column("n", Integer, nullable=False))


async def record(event: Pinged, uow: UnitOfWork) -> None:
    """A handler with a visible effect: one row per application (a second one would violate the key)."""
    await uow.session.execute(insert(applied).values(message_id=str(uuid.uuid4()), n=event.n))


async def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


@pytest.fixture
async def db(pg_url):
    settings = CommonSettings(database_url=pg_url, database_prefix=f"m{uuid.uuid4().hex[:8]}")
    await ensure_database(settings, "bustest")
    database = Database(service_database_url(settings, "bustest"))
    async with database.engine.begin() as conn:
        await conn.run_sync(messaging_metadata.create_all)
        await conn.run_sync(test_metadata.create_all)
    yield database
    await database.dispose()
    await drop_databases(pg_url, settings.database_prefix, services=["bustest"])


@pytest.fixture
async def namespace(amqp_url):
    ns = f"m{uuid.uuid4().hex[:8]}"
    yield ns
    await delete_bus_objects(amqp_url, ns, services=[*SERVICES, "bustest"])


async def count_applied(db: Database) -> int:
    async with db.sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(applied))


async def test_event_committed_while_broker_is_down_is_delivered_when_it_returns(db, namespace, amqp_url):
    proxy = await TcpProxy("127.0.0.1", 5672).start()
    publisher = RabbitBus(f"amqp://guest:guest@127.0.0.1:{proxy.port}/", namespace, publish_timeout=3)
    consumer_bus = RabbitBus(amqp_url, namespace)
    consumer = InboxConsumer("bustest", db, [Subscription(Pinged, record)])
    await consumer_bus.subscribe("bustest", consumer.patterns, consumer)
    await consumer_bus.start()
    await publisher.start()
    relay = OutboxRelay(db, publisher, poll_seconds=0.2)
    relay_task = asyncio.create_task(relay.run_forever())
    try:
        await proxy.cut()  # the broker is unreachable from the producer's side
        async with UnitOfWork(db, "test", relay) as uow:
            for n in range(20):
                uow.emit(Pinged(n=n))
            await uow.commit()
        await asyncio.sleep(2)
        async with db.sessionmaker() as s:
            unsent = await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None)))
        assert unsent == 20, "nothing can have been confirmed while the broker was away"
        assert await count_applied(db) == 0
        proxy.restore()
        await wait_for(lambda: _equals(count_applied(db), 20), timeout=30)
        async with db.sessionmaker() as s:
            unsent = await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None)))
        assert unsent == 0
        await asyncio.sleep(0.5)
        assert await count_applied(db) == 20, "applied exactly once each"
    finally:
        relay_task.cancel()
        await asyncio.gather(relay_task, return_exceptions=True)
        await publisher.stop()
        await consumer_bus.stop()
        await proxy.close()


async def _equals(awaitable, expected) -> bool:
    return (await awaitable) == expected


async def test_message_delivered_twice_is_applied_once(db, namespace, amqp_url):
    bus = RabbitBus(amqp_url, namespace)
    consumer = InboxConsumer("bustest", db, [Subscription(Pinged, record)])
    await bus.subscribe("bustest", consumer.patterns, consumer)
    await bus.start()
    try:
        envelope = Envelope.wrap(Pinged(n=1), "test")
        await bus.publish([envelope, envelope])
        await bus.publish([envelope])
        await wait_for(lambda: _equals(_dups(consumer), 2))
        assert await count_applied(db) == 1
        assert consumer.applied == 1
    finally:
        await bus.stop()


async def _dups(consumer):
    return consumer.duplicates


async def test_poison_message_is_dead_lettered_with_reason_and_can_be_redriven(db, namespace, amqp_url):
    calls = {"n": 0, "fail": True}

    async def fragile(event: Pinged, uow: UnitOfWork) -> None:
        calls["n"] += 1
        if calls["fail"]:
            raise ValueError("cannot apply this")
        await record(event, uow)

    bus = RabbitBus(amqp_url, namespace, max_attempts=3, retry_base_seconds=0.05)
    consumer = InboxConsumer("bustest", db, [Subscription(Pinged, fragile)])
    await bus.subscribe("bustest", consumer.patterns, consumer)
    await bus.start()
    try:
        poison = Envelope.wrap(Pinged(n=7), "test")
        await bus.publish([poison])
        dead = await wait_for(lambda: bus.dead_letters("bustest"))
        assert len(dead) == 1
        assert dead[0].envelope.message_id == poison.message_id
        assert "cannot apply this" in dead[0].reason
        assert dead[0].attempts == 3
        assert calls["n"] == 3, "tried exactly max_attempts times"
        assert await count_applied(db) == 0, "failed attempts left nothing behind"
        assert await bus.queue_depth("bustest") == QueueDepth(ready=0, dead_letters=1), "what /metrics reports"
        calls["fail"] = False
        assert await bus.redrive("bustest") == 1
        await wait_for(lambda: _equals(count_applied(db), 1))
        assert await bus.dead_letters("bustest") == []
        assert await bus.queue_depth("bustest") == QueueDepth(ready=0, dead_letters=0)
    finally:
        await bus.stop()


async def test_two_replicas_never_apply_one_message_twice(db, namespace, amqp_url):
    replicas = []
    for _ in range(2):
        bus = RabbitBus(amqp_url, namespace, prefetch=8)
        consumer = InboxConsumer("bustest", db, [Subscription(Pinged, record)])
        await bus.subscribe("bustest", consumer.patterns, consumer)
        await bus.start()
        replicas.append((bus, consumer))
    publisher = RabbitBus(amqp_url, namespace)
    await publisher.start()
    try:
        envelopes = [Envelope.wrap(Pinged(n=i), "test") for i in range(300)]
        # Every message twice, back to back, so the copies race on the two replicas.
        await publisher.publish([e for env in envelopes for e in (env, env)])
        await wait_for(lambda: _equals(_handled(replicas), 600), timeout=60)
        assert await count_applied(db) == 300
        assert sum(c.applied for _, c in replicas) == 300
        # Round-robin may hand one replica every second copy, so it may only ever skip duplicates.
        assert all(c.applied + c.duplicates > 0 for _, c in replicas), "both replicas took part"
        async with db.sessionmaker() as s:
            assert await s.scalar(select(func.sum(applied.c.n))) == sum(range(300))
    finally:
        await publisher.stop()
        for bus, _ in replicas:
            await bus.stop()


async def _handled(replicas) -> int:
    return sum(c.applied + c.duplicates for _, c in replicas)


async def test_event_published_before_its_consumer_ever_started_is_not_lost(db, namespace, amqp_url):
    """Any service declares the whole topology, so a consumer's queue exists before it first runs."""
    topology = {"bustest": [Pinged.NAME]}
    publisher = RabbitBus(amqp_url, namespace, topology=topology)
    await publisher.start()
    await publisher.publish([Envelope.wrap(Pinged(n=5), "test")])
    await publisher.stop()
    consumer_bus = RabbitBus(amqp_url, namespace, topology=topology)
    consumer = InboxConsumer("bustest", db, [Subscription(Pinged, record)])
    await consumer_bus.subscribe("bustest", consumer.patterns, consumer)
    await consumer_bus.start()
    try:
        await wait_for(lambda: _equals(count_applied(db), 1))
    finally:
        await consumer_bus.stop()


async def test_a_batch_is_published_in_about_one_turn_a_message_of_a_busy_event_loop(namespace, amqp_url):
    """Publishing queues each message as soon as the one before it is queued, not once it has been written, and
    then awaits the confirms: on a loop that other work keeps busy (each turn takes 2 ms here), 200 messages take
    about one turn each (200 measured), not three (606 measured while each write was awaited under the channel's
    lock: 25 messages took 50-180 ms under load, bench/bench_entry.py)."""
    topology = {"bustest": [Pinged.NAME]}
    bus = RabbitBus(amqp_url, namespace, topology=topology)
    await bus.start()
    turns, stop = 0, asyncio.Event()

    async def busy() -> None:
        nonlocal turns
        while not stop.is_set():
            turns += 1
            busy_until = asyncio.get_running_loop().time() + 0.002
            while asyncio.get_running_loop().time() < busy_until:  # a request's CPU work, holding the loop
                pass
            await asyncio.sleep(0)

    worker = asyncio.create_task(busy())
    try:
        envelopes = [Envelope.wrap(Pinged(n=i), "test") for i in range(200)]
        await asyncio.sleep(0)
        turns = 0
        await bus.publish(envelopes)
        published_in = turns
        stop.set()
        await worker
        depth = await bus.queue_depth("bustest")
    finally:
        stop.set()
        await bus.stop()
    assert depth.ready == 200, "every message confirmed is in the queue"
    assert published_in < 400, f"{published_in} turns of the loop for 200 messages"


async def test_a_stored_envelope_goes_out_as_the_text_the_outbox_holds(namespace, amqp_url):
    """Untraced, the relay sends each envelope's stored JSON as the message body, byte for byte, with the head's
    properties (an import's set events are not decoded and encoded again); what a consumer parses is the envelope."""
    import aio_pika
    from autocirc_shared.messaging.envelope import StoredEnvelope

    topology = {"bustest": [Pinged.NAME]}
    bus = RabbitBus(amqp_url, namespace, topology=topology)
    await bus.start()
    envelope = Envelope.wrap(Pinged(n=7), "test").model_copy(update={"correlation_id": "c-1",
                                                                      "headers": {"traceparent": "00-ab-cd-01"}})
    text = envelope.model_dump_json()
    try:
        await bus.publish_stored([StoredEnvelope.of(text)])
        connection = await aio_pika.connect(amqp_url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.get_queue(bus.queue_name("bustest"))
            message = await queue.get(no_ack=True, timeout=10)
    finally:
        await bus.stop()
    assert message.body == text.encode()
    assert (message.message_id, message.type, message.app_id, message.correlation_id) == (
        envelope.message_id, Pinged.NAME, "test", "c-1")
    assert message.headers["traceparent"] == "00-ab-cd-01"
    assert Envelope.model_validate_json(message.body) == envelope
