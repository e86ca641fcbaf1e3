"""Idempotent consumers: the inbox row and the handler's changes commit together.

A redelivered or duplicated message finds its ``message_id`` in the inbox and is skipped.
When two replicas receive one message at once, PostgreSQL makes the second insert wait on
the first's unique key; once the first commits, the second sees the conflict and skips.

Batches: a subscription may name a ``batch`` handler that applies many of its events at once.
The bus then hands the consumer what it has received (up to ``max_batch`` messages) and the
consumer applies them in ONE transaction: the inbox rows of all (inserted in message-id order,
so two replicas never wait on each other in a cycle), then each batch handler once with its
events. If that transaction fails for any reason but an outage, the bus falls back to one
message at a time, so a poison message is retried and dead-lettered alone.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult

from ..context import correlation_id_var
from ..db import Database, is_outage
from ..events.base import Event, event_type
from ..tracing import ServiceTracing
from ..upserts import dialect_insert
from .bus import backoff_seconds
from .envelope import Envelope
from .outbox import OutboxRelay
from .tables import inbox
from .unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

OUTAGE_RETRY_BASE_SECONDS = 0.5
OUTAGE_RETRY_CAP_SECONDS = 15.0

EventHandler = Callable[[Any, UnitOfWork], Awaitable[None]]
BatchHandler = Callable[[list[Any], UnitOfWork], Awaitable[None]]
DEFAULT_MAX_BATCH = 200
MAX_BATCH_ITEMS = 5000  # facts per transaction: a set event (payload ``items``) weighs its items


def weight(env: Envelope) -> int:
    items = env.payload.get("items")
    return len(items) if isinstance(items, list) else 1


def parts_of(envelopes: Sequence[Envelope], max_items: int) -> list[list[Envelope]]:
    """Consecutive parts of at most ``max_items`` (a heavier message alone)."""
    parts: list[list[Envelope]] = [[]]
    load = 0
    for env in envelopes:
        if parts[-1] and load + weight(env) > max_items:
            parts.append([])
            load = 0
        parts[-1].append(env)
        load += weight(env)
    return [part for part in parts if part]


@dataclass(frozen=True)
class Subscription:
    """``handler`` applies one event; ``batch`` (optional) applies a list of events, in delivery order, in the
    caller's unit of work. Subscriptions naming the same ``batch`` handler share one call per batch."""

    event: type[Event]
    handler: EventHandler
    batch: BatchHandler | None = None


async def claim(uow: UnitOfWork, env: Envelope) -> bool:
    """Insert the inbox row; False when this message was already processed."""
    stmt = (dialect_insert(uow.db.dialect, inbox)
            .values(message_id=env.message_id, name=env.name, processed_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["message_id"]))
    result = cast(CursorResult[Any], await uow.session.execute(stmt))  # an INSERT's result is a cursor's
    return result.rowcount == 1


async def claim_many(uow: UnitOfWork, envelopes: Sequence[Envelope]) -> set[str]:
    """Insert the inbox rows of many messages (sorted by id: a fixed lock order); the ids newly claimed."""
    now = datetime.now(UTC)
    names = {env.message_id: env.name for env in envelopes}
    rows = [{"message_id": mid, "name": names[mid], "processed_at": now} for mid in sorted(names)]
    stmt = (dialect_insert(uow.db.dialect, inbox).on_conflict_do_nothing(index_elements=["message_id"])
            .returning(inbox.c.message_id))
    return set((await uow.session.execute(stmt, rows)).scalars())


class InboxConsumer:
    """The bus handler of one service: dedupe, dispatch by event name, commit, then ack."""

    def __init__(self, service: str, db: Database, subscriptions: Sequence[Subscription],
                 relay: OutboxRelay | None = None, max_batch: int = DEFAULT_MAX_BATCH,
                 tracing: ServiceTracing | None = None) -> None:
        self.service = service
        self.db = db
        self.relay = relay
        self.tracing = tracing
        self.handlers: dict[str, list[EventHandler]] = {}
        self.batch_handlers: dict[str, BatchHandler] = {}
        for sub in subscriptions:
            self.handlers.setdefault(sub.event.NAME, []).append(sub.handler)
            if sub.batch is not None:
                self.batch_handlers[sub.event.NAME] = sub.batch
        # the bus batches deliveries only for a consumer that can apply them (max_batch > 1)
        self.max_batch = max_batch if self.batch_handlers else 1
        self.applied = 0
        self.duplicates = 0
        self.batches = 0

    @property
    def patterns(self) -> list[str]:
        return list(self.handlers)

    def batchable(self, env: Envelope) -> bool:
        """Whether ``env`` may be applied together with others (its every handler has a batch form)."""
        return env.name in self.batch_handlers and len(self.handlers.get(env.name, ())) == 1

    async def apply_batch(self, envelopes: Sequence[Envelope]) -> None:
        """Apply batchable messages in one transaction per ``MAX_BATCH_ITEMS`` facts (through outages, as one
        message). Any other failure raises: the bus then delivers them one at a time, and the inbox skips
        those of a part that had already committed."""
        token = correlation_id_var.set(envelopes[0].correlation_id if envelopes else None)
        try:
            if self.tracing is None:
                await self._apply_parts(envelopes)
            else:
                with self.tracing.consuming_batch(envelopes):
                    await self._apply_parts(envelopes)
        finally:
            correlation_id_var.reset(token)

    async def _apply_parts(self, envelopes: Sequence[Envelope]) -> None:
        for part in parts_of(envelopes, MAX_BATCH_ITEMS):
            await _through_outages(self.service, "a batch", partial(self._apply_batch, part))

    async def _apply_batch(self, envelopes: Sequence[Envelope]) -> None:
        events = [(env, _batch_event(env)) for env in envelopes]
        async with UnitOfWork(self.db, self.service, self.relay) as uow:
            claimed = await claim_many(uow, envelopes)
            groups: dict[BatchHandler, list[Any]] = {}
            for env, event in events:
                if env.message_id in claimed:
                    claimed.discard(env.message_id)  # the same message twice in one batch is applied once
                    groups.setdefault(self.batch_handlers[env.name], []).append(event)
            for handler, items in groups.items():
                await handler(items, uow)
            await uow.commit()
            applied = sum(len(items) for items in groups.values())  # counted before the session closes
            self.applied += applied
            self.duplicates += len(envelopes) - applied
            self.batches += 1

    async def __call__(self, env: Envelope) -> None:
        token = correlation_id_var.set(env.correlation_id)  # logs and events it causes carry the id on
        try:
            if self.tracing is None:
                await self._apply_through_outages(env)
            else:
                with self.tracing.consuming(env):
                    await self._apply_through_outages(env)
        finally:
            correlation_id_var.reset(token)

    async def _apply_through_outages(self, env: Envelope) -> None:
        await _through_outages(self.service, env.name, lambda: self._apply(env))

    async def _apply(self, env: Envelope) -> None:
        handlers = self.handlers.get(env.name, [])
        model = event_type(env.name)
        payload = model.model_validate(env.payload) if model else env.payload
        async with UnitOfWork(self.db, self.service, self.relay) as uow:
            if not await claim(uow, env):
                self.duplicates += 1
                log.info("skipping duplicate %s %s", env.name, env.message_id)
                return
            for handler in handlers:
                await handler(payload, uow)
            await uow.commit()
            self.applied += 1  # counted before the session closes: a cancel there must not hide a commit


def _batch_event(env: Envelope) -> Event:
    model = event_type(env.name)
    if model is None:  # a batch handler is subscribed to an Event class, so its name is registered
        raise LookupError(f"no event class named {env.name}")
    return model.model_validate(env.payload)


async def _through_outages(service: str, what: str, apply: Callable[[], Awaitable[None]]) -> None:
    """Apply; while the database is unreachable, wait and try again, holding the message(s).

    An outage says nothing about the message, so it must not spend the bus's delivery attempts:
    a few seconds without the database would otherwise send every message in flight to the
    dead-letter queue. Any other failure goes back to the bus (retry, then dead letter)."""
    outage = 0
    while True:
        try:
            await apply()
            return
        except Exception as exc:
            if not is_outage(exc):
                raise
            outage += 1
            delay = backoff_seconds(outage, OUTAGE_RETRY_BASE_SECONDS, cap=OUTAGE_RETRY_CAP_SECONDS)
            log.warning("%s: database unavailable applying %s (%r); retrying in %.1fs", service, what, exc, delay)
            await asyncio.sleep(delay)
