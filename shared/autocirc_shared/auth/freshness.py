"""Stale tokens: a token issued before its account's last password reset or change is refused (401 ``auth.stale``).

Signature verification says a token is genuine; this says it is still current. It is a separate step that runs
on every request after verification (a cache of verified signatures cannot skip it). Each service keeps a small
projection ``credential_versions`` (account → the instant before which its tokens are void) fed by identity's
``identity.credentials_changed.v1``; identity writes its own row in the same transaction as the change, so it
refuses at once, the others as soon as the event arrives. Reads are cached per account for
:data:`CACHE_SECONDS`, so one account's many requests cost one lookup per interval.
"""
from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import Database
from ..events.identity import CredentialsChanged
from ..messaging.inbox import Subscription
from ..messaging.tables import AlembicOps
from ..messaging.unit_of_work import UnitOfWork
from ..upserts import insert_for
from .tokens import Principal

credentials_metadata = MetaData()

credential_versions = Table(
    "credential_versions",
    credentials_metadata,
    Column("account_id", String(36), primary_key=True),
    # microseconds since the epoch: exact on both databases (a float column rounds on PostgreSQL's double)
    Column("valid_after_us", BigInteger, nullable=False),
)

CACHE_SECONDS = 0.2


def create_credential_versions_table(op: AlembicOps) -> None:
    """Call from one of the service's Alembic migrations."""
    op.create_table(credential_versions.name, *[c._copy() for c in credential_versions.columns])


def micros(at: datetime | float) -> int:
    seconds = at.timestamp() if isinstance(at, datetime) else at
    return int(round(seconds * 1_000_000))


async def void_tokens_before(uow: UnitOfWork, account_id: str, at: datetime) -> None:
    """Record in this service's projection that the account's tokens issued before ``at`` are void (newest wins)."""
    value = micros(at)
    stmt = insert_for(uow.session, credential_versions).values(account_id=account_id, valid_after_us=value)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id"], set_={"valid_after_us": stmt.excluded.valid_after_us},
        where=credential_versions.c.valid_after_us < stmt.excluded.valid_after_us)
    await uow.session.execute(stmt)


async def announce_credentials_changed(uow: UnitOfWork, account_id: str, reason: str,
                                       at: datetime | None = None) -> datetime:
    """identity's side, inside the change's transaction: void the old tokens here and tell every service."""
    at = at or datetime.now(UTC)
    await void_tokens_before(uow, account_id, at)
    uow.emit(CredentialsChanged(account_id=account_id, reason=reason, valid_after=at))
    return at


async def on_credentials_changed(event: CredentialsChanged, uow: UnitOfWork) -> None:
    await void_tokens_before(uow, event.account_id, event.valid_after)


CREDENTIALS_SUBSCRIPTION = Subscription(CredentialsChanged, on_credentials_changed)


class CredentialVersions:
    """The per-request check, reading the service's projection (cached ``cache_seconds``; identity uses 0, so it
    refuses at once on every replica)."""

    def __init__(self, db: Database, cache_seconds: float = CACHE_SECONDS) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, int | None]] = {}
        self._reading: dict[str, asyncio.Event] = {}  # the account's read in progress

    async def valid_after_us(self, account_id: str, session: AsyncSession | None = None) -> int | None:
        """The account's instant (cached); read in ``session`` when given (a request's own unit of work: no
        second session), else in a session of its own. With a cache, one read per account at a time: requests
        arriving while it runs take its answer (when the entry expires under load, 16 concurrent requests
        would otherwise read it 16 times); if it fails they read themselves."""
        hit = self._cached(account_id)
        if hit is not None:
            return hit[1]
        if self.cache_seconds > 0 and (running := self._reading.get(account_id)) is not None:
            await running.wait()
            if (hit := self._cached(account_id)) is not None:
                return hit[1]
        done = self._reading[account_id] = asyncio.Event()
        try:
            now = time.monotonic()
            query = select(credential_versions.c.valid_after_us).where(credential_versions.c.account_id == account_id)
            if session is not None:
                value: int | None = await session.scalar(query)
            else:
                async with self.db.sessionmaker() as own:
                    value = await own.scalar(query)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[account_id] = (now, value)
            return value
        finally:
            done.set()
            if self._reading.get(account_id) is done:
                del self._reading[account_id]

    def _cached(self, account_id: str) -> tuple[float, int | None] | None:
        hit = self._cache.get(account_id)
        return hit if hit is not None and time.monotonic() - hit[0] < self.cache_seconds else None

    async def is_stale(self, principal: Principal) -> bool:
        return is_stale(principal, await self.valid_after_us(principal.account_id))


def is_stale(principal: Principal, valid_after_us: int | None) -> bool:
    """Whether the token was issued before the account's ``valid_after_us`` (None: never changed)."""
    if valid_after_us is None:
        return False
    return principal.issued_at is None or micros(principal.issued_at) < valid_after_us
