"""One database per service: PostgreSQL (asyncpg) when configured, else a SQLite file.

The service never sees which: it gets an async engine and a session factory.
"""
from __future__ import annotations

import asyncio
import logging
import weakref
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from .settings import CommonSettings

log = logging.getLogger(__name__)


# Errors that mean "the database cannot be reached right now", not "this work is wrong": requests answer
# 503 and may be repeated; consumers wait and retry without spending a delivery attempt.
OUTAGE_ERRORS = (sa_exc.DBAPIError, sa_exc.TimeoutError, ConnectionError, TimeoutError)


def is_outage(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.DBAPIError):
        return (exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
                or isinstance(exc.orig, (ConnectionError, OSError, TimeoutError))
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


class Base(DeclarativeBase):
    """Declarative base; each service has its own metadata via its own subclass."""


def service_database_name(settings: CommonSettings, service: str) -> str:
    return f"{settings.database_prefix}_{service.replace('-', '_')}"


def service_database_url(settings: CommonSettings, service: str) -> str:
    if settings.database_url:
        url = make_url(settings.database_url).set(drivername="postgresql+asyncpg")
        return url.set(database=service_database_name(settings, service)).render_as_string(hide_password=False)
    path = Path(settings.data_dir) / "db" / f"{service}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{path}"


async def ensure_database(settings: CommonSettings, service: str) -> None:
    """Create the service's PostgreSQL database if missing (safe when replicas race)."""
    if not settings.database_url:
        return
    name = service_database_name(settings, service)
    server = make_url(settings.database_url).set(drivername="postgresql+asyncpg", database="postgres")
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


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        # hide_parameters: a failed statement's message (logged with the traceback) must not carry
        # the ID numbers and mobiles it was binding
        if url.startswith("sqlite"):
            self.engine: AsyncEngine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                                              hide_parameters=True)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)
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
