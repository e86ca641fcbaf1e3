"""Unit of work: one session, one transaction, and the events it emits (cosmicpython style).

Events go into the outbox table inside the same transaction as the state change; right after the
commit the relay is woken so delivery is prompt, but nothing depends on that wake-up.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, ColumnElement, Text, bindparam, cast, insert, inspect, text
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import Database, is_outage
from ..events.base import Event
from .envelope import Envelope
from .outbox import OutboxRelay
from .tables import outbox

_T = TypeVar("_T")

log = logging.getLogger(__name__)


class UnitOfWork:
    session: AsyncSession

    def __init__(self, db: Database, producer: str, relay: OutboxRelay | None = None, *,
                 autocommit: bool = False) -> None:
        """``autocommit``: on PostgreSQL every statement commits itself, saving the BEGIN and COMMIT round
        trips, for a use case that writes in one statement at most, its outbox rows in that statement
        (:meth:`outbox_rows`); its reads see committed data as they would in a READ COMMITTED transaction.
        ``emit`` is refused there (a separate outbox write would not be atomic with the change); elsewhere
        (SQLite) it is an ordinary transaction."""
        self.db = db
        self.producer = producer
        self.relay = relay
        self.autocommit = autocommit and db.autocommit_sessionmaker is not None
        self._events: list[Event] = []
        self._flushed_events = False
        self._held: list[asyncio.Lock] = []  # SQLite: the keyed locks this transaction holds (released when it ends)

    async def __aenter__(self) -> UnitOfWork:
        maker = self.db.autocommit_sessionmaker if self.autocommit else None
        self.session = (maker or self.db.sessionmaker)()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Roll back whatever was not committed. On a connection that was lost meanwhile there is nothing
        to roll back (the server drops the transaction), so that failure is logged, not raised: it would
        otherwise surface after a committed request's response has already started."""
        try:
            await self.session.rollback()
            await self.session.close()
        except Exception as error:
            if not is_outage(error):
                raise
            log.warning("unit of work ended on a lost database connection: %r", error)
            await self.session.invalidate()
        finally:
            self._release()

    # -- serialising concurrent transactions, the same in both modes ------------------------------------------
    async def lock(self, key: str) -> None:
        """Hold ``key`` until this transaction ends, so transactions that take the same key run one after the
        other: a transaction-scoped advisory lock on PostgreSQL, an in-process lock on SQLite (the embedded mode
        is one process; its reads outside a write see the latest commit). Take locks before writing."""
        if self.db.dialect == "postgresql":
            await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
            return
        lock = self.db.locks.get(key)
        if lock in self._held:
            return
        await lock.acquire()
        self._held.append(lock)

    async def get_for_update(self, entity: type[_T], ident: Any) -> _T | None:
        """``session.get`` with the row locked for this transaction (``FOR UPDATE`` on PostgreSQL, the row's
        key on SQLite), read afresh after the lock is held."""
        if self.db.dialect == "postgresql":
            return await self.session.get(entity, ident, with_for_update=True, populate_existing=True)
        await self.lock(_row_key(entity, ident))
        return await self.session.get(entity, ident, populate_existing=True)

    async def refresh_for_update(self, instance: object) -> None:
        """Lock an already loaded row for this transaction and re-read it (a concurrent change is seen)."""
        if self.db.dialect == "postgresql":
            await self.session.refresh(instance, with_for_update=True)
            return
        state = inspect(instance)
        await self.lock(_row_key(state.mapper.class_, state.identity))
        await self.session.refresh(instance)

    def _release(self) -> None:
        for lock in self._held:
            lock.release()
        self._held = []

    def emit(self, event: Event) -> None:
        if self.autocommit:
            raise RuntimeError("an autocommit unit of work writes its events with its change (outbox_rows)")
        self._events.append(event)

    async def flush_events(self) -> None:
        """Write the events emitted so far to the outbox, inside the open transaction.

        A long unit of work (an import of many rows) calls this per chunk so memory stays flat;
        the rows still become visible to the relay only when the transaction commits."""
        if not self._events:
            return
        envelopes = [Envelope.wrap(event, self.producer) for event in self._events]
        tracing = self.relay.tracing if self.relay is not None else None
        if tracing is None:
            await self._write_outbox(envelopes)
        else:
            with tracing.outbox_write(envelopes):
                await self._write_outbox(envelopes)
        self._events = []
        self._flushed_events = True

    async def _write_outbox(self, envelopes: list[Envelope]) -> None:
        """Each envelope is encoded once, by pydantic-core, and stored as that JSON text (an import's set event
        of 1,000 items was walked three times before: a dict dump, a JSON dump of it, the column's encoder)."""
        now = datetime.now(UTC)
        await self.session.execute(insert(outbox).values(envelope=_encoded_json(self.db.dialect)),
                                   [_outbox_row(env, now) for env in envelopes])

    @contextlib.contextmanager
    def outbox_rows(self, events: Sequence[Event]) -> Iterator[list[dict[str, Any]]]:
        """The outbox rows of ``events``, for a caller that writes them in its own statement (the values
        :func:`outbox_binds` names), inside this transaction, or with ``autocommit`` in its one statement (one
        round trip with the state change it announces). Write them within the ``with``: traced as
        :meth:`flush_events` is, and the relay is woken after the commit."""
        envelopes = [Envelope.wrap(event, self.producer) for event in events]
        tracing = self.relay.tracing if self.relay is not None else None
        with tracing.outbox_write(envelopes) if tracing is not None else contextlib.nullcontext():
            now = datetime.now(UTC)
            yield [_outbox_row(env, now) for env in envelopes]
        self._flushed_events = True

    async def commit(self) -> None:
        await self.flush_events()
        try:
            await self.session.commit()
        finally:
            self._release()
        if self._flushed_events:
            self._flushed_events = False
            if self.relay is not None:  # at once: the answer (or the ack) must not wait for the wake-up
                self.relay.wake()

    async def rollback(self) -> None:
        self._events = []
        self._flushed_events = False
        try:
            await self.session.rollback()
        finally:
            self._release()


def _outbox_row(env: Envelope, now: datetime) -> dict[str, Any]:
    """One outbox row's parameters; the envelope encoded once, by pydantic-core (see :func:`_encoded_json`)."""
    return {"message_id": env.message_id, "name": env.name, "created_at": now,
            "envelope_json": env.model_dump_json(), "attempts": 0}


def _encoded_json(dialect: str, prefix: str = "") -> ColumnElement[Any]:
    """The ``envelope_json`` parameter, already JSON text, as the outbox's JSON column: cast on PostgreSQL
    (text has no assignment cast to json), as is on SQLite (a JSON column is its text there)."""
    param = bindparam(prefix + "envelope_json", type_=Text)
    return cast(param, JSON) if dialect == "postgresql" else param


def outbox_binds(dialect: str, prefix: str = "") -> dict[str, ColumnElement[Any]]:
    """The outbox's columns → bind parameters named as :meth:`UnitOfWork.outbox_rows`' keys (``prefix`` before
    each), for a statement that writes the rows itself (``INSERT … SELECT`` of these values)."""
    values: dict[str, ColumnElement[Any]] = {
        key: bindparam(prefix + key, type_=outbox.c[key].type) for key in ("message_id", "name", "created_at", "attempts")}
    values["envelope"] = _encoded_json(dialect, prefix)
    return values


def _row_key(entity: type[Any], ident: Any) -> str:
    parts = ident if isinstance(ident, (tuple, list)) else (ident,)
    return f"row:{inspect(entity).local_table.name}:" + ":".join(str(p) for p in parts)
