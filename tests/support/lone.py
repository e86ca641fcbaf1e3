"""One service alone, for its handlers: its runtime from its composition root on a temporary SQLite file
(migrated with its Alembic chain, as the embedded mode does) and its own in-process bus, with only its consumer
subscribed. No relay and no background tasks run, so what a handler emits stays in the service's outbox to be
read, and every delivery is awaited on the bus (no sleeps)."""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from autocirc_gateway.embedded import create_runtime
from autocirc_shared.events.base import Event
from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.inprocess import InProcessBus
from autocirc_shared.messaging.tables import outbox
from sqlalchemy import select, text

from .system import patched_env, system_env


async def query(db, sql: str, **params) -> list[dict]:
    """Rows of one SQL statement on a service's database, as dicts (tests read tables by name, not by model)."""
    async with db.sessionmaker() as session:
        return [dict(row) for row in (await session.execute(text(sql), params)).mappings()]


class LoneService:
    def __init__(self, runtime, bus: InProcessBus) -> None:
        self.runtime = runtime
        self.bus = bus
        self.name = runtime.name

    def uow(self):
        return self.runtime.uow()

    def client(self) -> httpx.AsyncClient:
        """An HTTP client on the service's own app, in-process (its use cases without the gateway)."""
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.runtime.app, client=("127.0.0.1", 50000)),
                                 base_url=f"http://{self.name}")

    async def rows(self, sql: str, **params) -> list[dict]:
        return await query(self.runtime.db, sql, **params)

    @property
    def applied(self) -> int:
        return self.runtime.consumer.applied

    @property
    def duplicates(self) -> int:
        return self.runtime.consumer.duplicates

    async def deliver(self, event: Event, *, times: int = 1, producer: str = "test") -> Envelope:
        """Hand ``event`` to the bus ``times`` times in one envelope (the same message id: a redelivery) and
        wait until the consumer has handled every copy; a copy dead-lettered fails the test."""
        envelope = Envelope.wrap(event, producer)
        dead = len(await self.bus.dead_letters(self.name))
        for _ in range(times):
            await self.bus.publish([envelope])
        await self.bus.idle()
        letters = await self.bus.dead_letters(self.name)
        assert len(letters) == dead, f"{event.NAME} dead-lettered: {letters[-1].reason}"
        return envelope

    async def deliver_twice(self, event: Event) -> Envelope:
        """Deliver once, then again: the second copy must be skipped by the inbox."""
        applied, duplicates = self.applied, self.duplicates
        envelope = await self.deliver(event, times=2)
        assert (self.applied - applied, self.duplicates - duplicates) == (1, 1), f"{event.NAME} not applied once"
        return envelope

    async def emitted(self, name: str | None = None) -> list[Envelope]:
        """The events this service's handlers wrote to its outbox (oldest first), optionally of one name."""
        query = select(outbox.c.envelope).order_by(outbox.c.id)
        if name is not None:
            query = query.where(outbox.c.name == name)
        async with self.runtime.db.sessionmaker() as session:
            return [Envelope.model_validate(row) for row in (await session.scalars(query)).all()]


@contextlib.asynccontextmanager
async def lone_service(service: str, data_dir, **extra_env: str) -> AsyncIterator[LoneService]:
    env = system_env(data_dir, pg_url=None, amqp_url=None, **extra_env)
    with patched_env(env):
        bus = InProcessBus(max_attempts=int(env.get("AUTOCIRC_BUS_MAX_ATTEMPTS", "3")),
                                    retry_base_seconds=float(env["AUTOCIRC_BUS_RETRY_BASE_SECONDS"]))
        runtime = create_runtime(service, bus)
    await runtime.migrate()
    for hook in runtime.on_start:
        await hook(runtime)
    await bus.subscribe(service, runtime.consumer.patterns, runtime.consumer)
    await bus.start()
    try:
        yield LoneService(runtime, bus)
    finally:
        await bus.stop()
        await runtime.db.dispose()
