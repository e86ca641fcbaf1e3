"""Idempotent consumers: the inbox row and the handler's changes commit together.

A redelivered or duplicated message finds its ``message_id`` in the inbox and is skipped.
When two replicas receive one message at once, PostgreSQL makes the second insert wait on
the first's unique key; once the first commits, the second sees the conflict and skips.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..context import correlation_id_var
from ..db import Database, is_outage
from ..events.base import Event, event_type
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


@dataclass(frozen=True)
class Subscription:
    event: type[Event]
    handler: EventHandler


async def claim(uow: UnitOfWork, env: Envelope) -> bool:
    """Insert the inbox row; False when this message was already processed."""
    stmt = (dialect_insert(uow.db.dialect, inbox)
            .values(message_id=env.message_id, name=env.name, processed_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["message_id"]))
    result = await uow.session.execute(stmt)
    return result.rowcount == 1


class InboxConsumer:
    """The bus handler of one service: dedupe, dispatch by event name, commit, then ack."""

    def __init__(self, service: str, db: Database, subscriptions: Sequence[Subscription],
                 relay: OutboxRelay | None = None) -> None:
        self.service = service
        self.db = db
        self.relay = relay
        self.handlers: dict[str, list[EventHandler]] = {}
        for sub in subscriptions:
            self.handlers.setdefault(sub.event.NAME, []).append(sub.handler)
        self.applied = 0
        self.duplicates = 0

    @property
    def patterns(self) -> list[str]:
        return list(self.handlers)

    async def __call__(self, env: Envelope) -> None:
        token = correlation_id_var.set(env.correlation_id)  # logs and events it causes carry the id on
        try:
            await self._apply_through_outages(env)
        finally:
            correlation_id_var.reset(token)

    async def _apply_through_outages(self, env: Envelope) -> None:
        """Apply; while the database is unreachable, wait and try again, holding the message.

        An outage says nothing about the message, so it must not spend the bus's delivery attempts:
        a few seconds without the database would otherwise send every message in flight to the
        dead-letter queue. Any other failure goes back to the bus (retry, then dead letter)."""
        outage = 0
        while True:
            try:
                await self._apply(env)
                return
            except Exception as exc:
                if not is_outage(exc):
                    raise
                outage += 1
                delay = backoff_seconds(outage, OUTAGE_RETRY_BASE_SECONDS, cap=OUTAGE_RETRY_CAP_SECONDS)
                log.warning("%s: database unavailable applying %s (%r); retrying in %.1fs", self.service,
                            env.name, exc, delay)
                await asyncio.sleep(delay)

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
