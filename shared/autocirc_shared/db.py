"""One database per service: PostgreSQL (asyncpg) when configured, else a SQLite file.

The service never sees which: it gets an async engine and a session factory.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Session

from .settings import CommonSettings

log = logging.getLogger(__name__)


# Errors that mean "the database cannot be reached right now", not "this work is wrong": requests answer
# 503 and may be repeated; consumers wait and retry without spending a delivery attempt.
OUTAGE_ERRORS = (sa_exc.DBAPIError, sa_exc.TimeoutError, ConnectionError, TimeoutError)


# SQLSTATE classes of a server that refuses or drops the connection: 08 connection exception, 53 insufficient
# resources (53300 too_many_connections: "sorry, too many clients already"), 57P operator intervention
# (shutting down, cannot connect now).
OUTAGE_SQLSTATES = ("08", "53", "57P")


def is_outage(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        return (exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
                or isinstance(exc.orig, (ConnectionError, OSError, TimeoutError))
                or sqlstate.startswith(OUTAGE_SQLSTATES)
                or type(exc.orig).__name__ in ("ConnectionDoesNotExistError", "CannotConnectNowError"))
    return isinstance(exc, OUTAGE_ERRORS)


class KeyedLocks:
    """In-process locks by name, for SQLite (one process, one writer): what PostgreSQL serialises with a row
    lock or an advisory lock, the embedded mode serialises here. A lock lives while someone holds or awaits it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def get(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock


class RetryOnceSession(Session):
    """A session that survives one dead pooled connection instead of pinging every checkout.

    Without ``pool_pre_ping`` a connection the server closed while it sat in the pool fails on its
    first statement (asyncpg sends BEGIN with it). When that happens to the first statement of a
    session that holds nothing yet, nothing was done, so the statement is repeated once on a fresh
    connection (SQLAlchemy has already recycled every connection older than the failure). Any later
    failure is an outage: the request answers 503, a consumer waits and retries."""

    def _execute_internal(self, *args: Any, **kwargs: Any) -> Any:  # a private method of Session
        fresh = not self.in_transaction() and not self.identity_map and not (self.new or self.dirty or self.deleted)
        try:
            return super()._execute_internal(*args, **kwargs)
        except sa_exc.DBAPIError as exc:
            if not (fresh and exc.connection_invalidated):
                raise
            log.info("database connection was closed while pooled; repeating the statement once: %r", exc.orig)
            self.rollback()
            return super()._execute_internal(*args, **kwargs)


class Base(DeclarativeBase):
    """Declarative base; each service has its own metadata via its own subclass."""


def service_database_name(settings: CommonSettings, service: str) -> str:
    return f"{settings.database_prefix}_{service.replace('-', '_')}"


def service_database_url(settings: CommonSettings, service: str, *, direct: bool = False) -> str:
    """The service's database; ``direct`` bypasses PgBouncer (migrations hold a session advisory lock)."""
    if settings.database_url:
        server = (settings.database_direct_url if direct else None) or settings.database_url
        url = make_url(server).set(drivername="postgresql+asyncpg")
        return url.set(database=service_database_name(settings, service)).render_as_string(hide_password=False)
    path = Path(settings.data_dir) / "db" / f"{service}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{path}"


async def ensure_database(settings: CommonSettings, service: str) -> None:
    """Create the service's PostgreSQL database if missing (safe when replicas race)."""
    if not settings.database_url:
        return
    name = service_database_name(settings, service)
    server = make_url(settings.database_direct_url or settings.database_url).set(drivername="postgresql+asyncpg",
                                                                                  database="postgres")
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT", pool_size=1)
    try:
        async with engine.connect() as conn:
            exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                try:
                    await conn.execute(text(f'CREATE DATABASE "{name}"'))
                    log.info("created database %s", name)
                except Exception as exc:  # another replica won the race
                    if "already exists" not in str(exc):
                        raise
    finally:
        await engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def service_database(settings: CommonSettings, service: str, *, pool_size: int | None = None) -> Database:
    return Database(service_database_url(settings, service), pool_size=pool_size or settings.database_pool_size,
                    pool_timeout=settings.database_pool_timeout, pgbouncer=settings.database_pgbouncer)


class Database:
    """``pool_size`` connections at most (no overflow): the budget of one process is fixed by design, see
    the README's "Connection budget". ``pgbouncer``: behind PgBouncer in transaction pooling a prepared
    statement may meet another server connection, so none are cached and each gets a unique name."""

    def __init__(self, url: str, *, pool_size: int = 8, pool_timeout: float = 10.0, pgbouncer: bool = False) -> None:
        self.url = url
        # hide_parameters: a failed statement's message (logged with the traceback) must not carry
        # the ID numbers and mobiles it was binding
        if url.startswith("sqlite"):
            self.engine: AsyncEngine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            connect_args = {}
            if pgbouncer:
                connect_args = {"statement_cache_size": 0, "prepared_statement_cache_size": 0,
                                "prepared_statement_name_func": lambda: f"__asyncpg_{uuid.uuid4().hex}__"}
            self.engine = create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=pool_timeout,
                                              hide_parameters=True, connect_args=connect_args)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession,
                                               sync_session_class=RetryOnceSession)
        # PostgreSQL only: sessions whose every statement commits itself (no BEGIN/COMMIT round trips), for a
        # use case whose writes are each one statement (``UnitOfWork(autocommit=True)``); same pool. Not behind
        # PgBouncer: outside a transaction it may hand a statement's execution to another server connection than
        # the one that prepared it ("prepared statement … does not exist": 484 of 960 such statements through
        # PgBouncer 1.18 in transaction pooling, none inside transactions; tests/integration/test_pgbouncer.py)
        self.autocommit_sessionmaker = None if url.startswith("sqlite") or pgbouncer else async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False,
            class_=AsyncSession, sync_session_class=RetryOnceSession)
        self.locks = KeyedLocks()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
