"""Outbox → relay → RabbitMQ → inbox throughput, beside raw confirmed publishing in the same run.

Baseline: aio-pika publishing N persistent messages with publisher confirms awaited
concurrently (the fastest safe way to hand messages to the broker). Measured: N events
committed to the outbox in one transaction, then (a) until the relay has marked all sent,
(b) until an inbox consumer has applied all of them (each in its own transaction).

Usage: .venv/bin/python bench/bench_outbox.py [N]   (needs PostgreSQL and RabbitMQ on 127.0.0.1)
"""
from __future__ import annotations

import asyncio
import sys
import time
import uuid

import aio_pika
from autocirc_shared.db import Database, ensure_database, service_database_url
from autocirc_shared.events.base import Event
from autocirc_shared.messaging.inbox import InboxConsumer, Subscription
from autocirc_shared.messaging.outbox import OutboxRelay
from autocirc_shared.messaging.rabbit import RabbitBus
from autocirc_shared.messaging.tables import messaging_metadata, outbox
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.settings import CommonSettings
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"


class Ticked(Event):
    NAME = "bench.ticked.v1"
    n: int


async def baseline(n: int, ns: str) -> float:
    conn = await aio_pika.connect(AMQP)
    async with conn:
        channel = await conn.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(f"{ns}.raw", aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(f"{ns}.raw", durable=True, arguments={"x-queue-type": "quorum"})
        await queue.bind(exchange, "#")
        body = b'{"n": 1}' * 20
        started = time.perf_counter()
        await asyncio.gather(*(exchange.publish(aio_pika.Message(body, delivery_mode=2), routing_key="bench.raw")
                               for _ in range(n)))
        elapsed = time.perf_counter() - started
        await queue.delete(if_unused=False, if_empty=False)
        await exchange.delete()
    return elapsed


async def drain(db: Database, relay: OutboxRelay) -> float:
    started = time.perf_counter()
    task = asyncio.create_task(relay.run_forever())
    while True:
        async with db.sessionmaker() as s:
            if not await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))):
                break
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - started
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return elapsed


async def commit_events(db: Database, n: int) -> None:
    async with UnitOfWork(db, "bench") as uow:
        for i in range(n):
            uow.emit(Ticked(n=i))
        await uow.commit()


async def measured(n: int, ns: str) -> tuple[float, float]:
    settings = CommonSettings(database_url=PG, database_prefix=ns)
    await ensure_database(settings, "bench")
    db = Database(service_database_url(settings, "bench"))
    async with db.engine.begin() as conn:
        await conn.run_sync(messaging_metadata.create_all)
    bus = RabbitBus(AMQP, ns, topology={})
    applied = asyncio.Event()
    count = {"n": 0}

    async def handler(event: Ticked, uow: UnitOfWork) -> None:
        count["n"] += 1
        if count["n"] == n:
            applied.set()

    await bus.start()
    relay = OutboxRelay(db, bus, batch=500, poll_seconds=0.05)
    await commit_events(db, n)
    relayed = await drain(db, relay)  # relay alone: nothing consumes in this process
    consumer = InboxConsumer("bench", db, [Subscription(Ticked, handler)])
    await bus.subscribe("bench", consumer.patterns, consumer)
    await commit_events(db, n)
    started = time.perf_counter()
    await drain(db, relay)
    await asyncio.wait_for(applied.wait(), 600)
    consumed = time.perf_counter() - started
    await bus.stop()
    await db.dispose()
    engine = create_async_engine(PG.replace("postgresql://", "postgresql+asyncpg://"), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{ns}_bench" WITH (FORCE)'))
    await engine.dispose()
    conn = await aio_pika.connect(AMQP)
    async with conn:
        ch = await conn.channel()
        for q in (f"{ns}.bench", f"{ns}.bench.dlq"):
            await ch.queue_delete(q)
        for x in (f"{ns}.events", f"{ns}.dlx"):
            await ch.exchange_delete(x)
    return relayed, consumed


async def main(n: int) -> None:
    ns = f"bench{uuid.uuid4().hex[:6]}"
    base = await baseline(n, ns)
    relayed, consumed = await measured(n, ns)
    print(f"messages: {n}")
    print(f"baseline  raw confirmed publish : {base:7.2f} s  {n / base:8.0f} msg/s")
    print(f"outbox → relay → broker (sent)  : {relayed:7.2f} s  {n / relayed:8.0f} msg/s  ratio {relayed / base:5.2f}× baseline")
    print(f"outbox → … → inbox (applied)    : {consumed:7.2f} s  {n / consumed:8.0f} msg/s  ratio {consumed / base:5.2f}× baseline")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
