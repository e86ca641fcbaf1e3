"""Transactional outbox: events are rows written in the same transaction as the state change;
the relay publishes them with confirms and marks them sent.

Safe with several replicas: each relay claims a batch with ``FOR UPDATE SKIP LOCKED`` and
holds the row locks while publishing, so two relays never publish the same rows at once.
A crash after publishing but before marking sent republishes the batch; consumers dedupe.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Text, cast, func, select, update

from ..db import Database
from ..tracing import ServiceTracing
from .bus import BusUnavailable, MessageBus
from .envelope import Envelope, StoredEnvelope
from .tables import outbox

log = logging.getLogger(__name__)

PUBLISH_CHARS = 4_000_000  # envelopes decoded and published at a time (an import's set event: ~300 KB)
IDLE_CAP_SECONDS = 10.0  # longest wait between polls of an idle relay that no commit woke


class OutboxRelay:
    def __init__(self, db: Database, bus: MessageBus, *, batch: int = 200, poll_seconds: float = 1.0,
                 tracing: ServiceTracing | None = None) -> None:
        self.db = db
        self.bus = bus
        self.tracing = tracing  # also what the units of work of this service trace their outbox writes with
        self.batch = batch
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self.published = 0

    def wake(self) -> None:
        self._wake.set()

    async def flush_once(self) -> int:
        """Publish one batch; returns how many rows were sent. Raises BusUnavailable."""
        async with self.db.sessionmaker() as session:
            try:
                async with session.begin():
                    query = (select(outbox.c.id, cast(outbox.c.envelope, Text).label("envelope"))
                             .where(outbox.c.sent_at.is_(None))
                             .order_by(outbox.c.id).limit(self.batch))
                    if self.db.dialect == "postgresql":
                        query = query.with_for_update(skip_locked=True)
                    rows = (await session.execute(query)).all()
                    if not rows:
                        return 0
                    ids = [r.id for r in rows]
                    await self._publish(rows)
                    await session.execute(update(outbox).where(outbox.c.id.in_(ids))
                                          .values(sent_at=datetime.now(UTC)))
            except BusUnavailable as exc:
                async with session.begin():
                    await session.execute(update(outbox).where(outbox.c.id.in_(ids)).values(
                        attempts=outbox.c.attempts + 1, last_error=str(exc)[:500]))
                raise
        self.published += len(rows)
        return len(rows)

    async def _publish(self, rows: Sequence[Row[Any]]) -> None:
        """Publish the batch's envelopes (raw JSON text) a few MB of them at a time. Untraced, each goes out as the
        text it was stored as (:meth:`MessageBus.publish_stored`); traced, each is decoded first, as the span's
        context goes into its headers. An import's 100 set events of 1,000 records each, decoded all at once, took
        130 MB; parsed by pydantic-core straight from the text, they cost a third of json.loads plus validation."""
        chunk: list[str] = []
        size = 0
        for row in rows:
            chunk.append(row.envelope)
            size += len(row.envelope)
            if size >= PUBLISH_CHARS:
                await self._send(chunk)
                chunk, size = [], 0
        if chunk:
            await self._send(chunk)

    async def _send(self, texts: list[str]) -> None:
        if self.tracing is None:
            await self.bus.publish_stored([StoredEnvelope.of(text) for text in texts])
            return
        envelopes = [Envelope.model_validate_json(text) for text in texts]
        with self.tracing.publishing(envelopes):
            await self.bus.publish(envelopes)

    async def run_forever(self) -> None:
        """Publish whenever a commit in this process wakes the relay; poll only as a safety net (rows another
        process committed and could not publish), backing off from ``poll_seconds`` to ``IDLE_CAP_SECONDS``
        while there is nothing to send, so idle services do not keep the database busy."""
        delay, idle = 0.2, self.poll_seconds
        while True:
            # cleared before the batch is read, not after: a commit that wakes the relay while a batch is being
            # published must not be forgotten until the next poll
            self._wake.clear()
            try:
                sent = await self.flush_once()
                delay = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker or database away: keep the rows, back off
                log.warning("outbox relay: %s; retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if sent >= self.batch:
                continue
            idle = self.poll_seconds if sent else min(idle * 2, max(self.poll_seconds, IDLE_CAP_SECONDS))
            try:
                await asyncio.wait_for(self._wake.wait(), idle)
                idle = self.poll_seconds
            except TimeoutError:
                pass

    async def pending(self) -> int:
        async with self.db.sessionmaker() as session:
            count = await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None)))
            return count or 0  # count() always answers a row
