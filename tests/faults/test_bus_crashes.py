"""RELIABILITY scenarios 4 and 5 on real RabbitMQ and PostgreSQL, at the level of the shared messaging
code every service runs (scenario 6, every message delivered twice, is
tests/integration/test_messaging.py::test_message_delivered_twice_is_applied_once and its two-replica test).

4. The relay dies between the broker confirming a batch and marking it sent: the next relay publishes
   the batch again and consumers apply each message once.
5. The consumer's connection dies between its commit and its ack, again and again: the broker redelivers
   what was committed, the inbox skips it, nothing is applied twice."""
from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.inbox import InboxConsumer, Subscription
from autocirc_shared.messaging.outbox import OutboxRelay
from autocirc_shared.messaging.rabbit import RabbitBus
from autocirc_shared.messaging.tables import outbox
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import func, select

from tests.integration.test_messaging import Pinged, count_applied, db, namespace, record  # noqa: F401 (fixtures)
from tests.support.figures import report
from tests.support.tcpproxy import TcpProxy


class RelayKilled(BaseException):
    """Not an Exception: nothing in the relay catches it, as nothing survives a kill -9."""


class DiesAfterConfirm(RabbitBus):
    """Publishes (and gets the confirms), then the process 'dies' before the relay marks the rows sent."""

    async def publish(self, envelopes) -> None:
        await super().publish(envelopes)
        raise RelayKilled

    async def publish_stored(self, stored) -> None:  # what the relay calls when it is not tracing
        await super().publish_stored(stored)
        raise RelayKilled


async def unsent(database) -> int:
    async with database.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None)))


async def until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def test_relay_killed_between_publish_and_marking_sent_applies_nothing_twice(db, namespace, amqp_url):  # noqa: F811
    events, batch = 120, 50
    consumer_bus = RabbitBus(amqp_url, namespace)
    consumer = InboxConsumer("bustest", db, [Subscription(Pinged, record)])
    await consumer_bus.subscribe("bustest", consumer.patterns, consumer)
    dying, healthy = DiesAfterConfirm(amqp_url, namespace), RabbitBus(amqp_url, namespace)
    for bus in (consumer_bus, dying, healthy):
        await bus.start()
    try:
        async with UnitOfWork(db, "test") as uow:
            for n in range(events):
                uow.emit(Pinged(n=n))
            await uow.commit()
        killed = OutboxRelay(db, dying, batch=batch, poll_seconds=0.1)
        task = asyncio.create_task(killed.run_forever())
        try:
            await task
        except RelayKilled:
            pass
        assert await unsent(db) == events, "the confirmed batch was never marked sent"
        await until(lambda: _eq(count_applied(db), batch))  # the batch did reach the consumer

        relay = OutboxRelay(db, healthy, batch=batch, poll_seconds=0.1)  # the restarted relay
        while await relay.flush_once():
            pass
        await until(lambda: _eq(count_applied(db), events))
        await until(lambda: _true(consumer.duplicates == batch))
        await asyncio.sleep(0.5)
        applied = await count_applied(db)
        report("relay_killed_after_publish", events=events, republished=batch, applied=applied,
               duplicates_skipped=consumer.duplicates, duplicates_applied=applied - events, unsent=await unsent(db))
        assert applied == events and consumer.applied == events and await unsent(db) == 0
    finally:
        for bus in (consumer_bus, dying, healthy):
            await bus.stop()


async def test_consumer_connection_dies_between_commit_and_ack_repeatedly_applies_nothing_twice(
        db, namespace, amqp_url):  # noqa: F811
    events, every = 200, 40
    parts = urlsplit(amqp_url)
    proxy = await TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5672).start()
    consumer_bus = RabbitBus(f"amqp://{parts.username}:{parts.password}@127.0.0.1:{proxy.port}/", namespace,
                             prefetch=8)
    consumer = InboxConsumer("bustest", db, [Subscription(Pinged, record)])
    state = {"handled": 0, "cuts": 0}

    async def commit_then_die(env: Envelope) -> None:
        await consumer(env)  # committed: the inbox row and the effect
        state["handled"] += 1
        if state["handled"] % every == 0:  # the process dies before the ack leaves it
            state["cuts"] += 1
            await proxy.cut()
            proxy.restore()

    await consumer_bus.subscribe("bustest", consumer.patterns, commit_then_die)
    publisher = RabbitBus(amqp_url, namespace)
    await consumer_bus.start()
    await publisher.start()
    try:
        await publisher.publish([Envelope.wrap(Pinged(n=n), "test") for n in range(events)])
        started = time.monotonic()
        await until(lambda: _eq(count_applied(db), events), timeout=120)

        async def drained() -> bool:
            depth = await publisher.queue_depth("bustest")
            return depth.ready == 0 and consumer_bus.is_connected()

        await until(drained, timeout=60)
        await asyncio.sleep(1.0)
        applied = await count_applied(db)
        report("consumer_killed_before_ack", events=events, connection_kills=state["cuts"], applied=applied,
               redeliveries_skipped=consumer.duplicates, duplicates_applied=applied - events,
               seconds=time.monotonic() - started)
        assert state["cuts"] >= events // every
        assert applied == events, "the database is the truth: each message's effect exactly once"
        assert consumer.duplicates >= state["cuts"], "each cut left at least its committed message unacked"
    finally:
        await publisher.stop()
        await consumer_bus.stop()
        await proxy.close()


async def _eq(awaitable, expected) -> bool:
    return (await awaitable) == expected


async def _true(value: bool) -> bool:
    return value
