"""Hot statements run straight on the asyncpg connection of an autocommit session (PostgreSQL).

SQLAlchemy's execution of an already compiled and cached Core statement still costs about 0.3 ms of Python
per call (cache key, execution context, result metadata, events): the single entry's two statements were a
third of its CPU. A :class:`DirectStatement` is compiled once by SQLAlchemy for the engine's dialect, so the
SQL and the parameter conversions are SQLAlchemy's own (the bind types' processors), and is then run with
asyncpg's ``fetch``, which keeps it prepared. The rows hold the values as asyncpg decodes them (with the JSON
codecs SQLAlchemy's dialect installs on each connection), which for text, numbers, dates and JSON are the
values SQLAlchemy would give (tests/integration/test_direct_sql.py compares the two).

Only on an autocommit session (``UnitOfWork(autocommit=True)``): each statement commits itself there, as it
would through SQLAlchemy, while in a transaction SQLAlchemy's adapter sends BEGIN lazily and a statement sent
beside it would run outside. Failures come out as SQLAlchemy's exceptions, as they would through the session:
a unique violation as ``IntegrityError`` (409), a dropped or refused connection as an invalidated
``DBAPIError`` (503, the connection discarded from the pool), and the first statement of a session that finds
its pooled connection dead is repeated once on a fresh one, as :class:`~.db.RetryOnceSession` does."""
from __future__ import annotations

import logging
from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import asyncpg  # type: ignore[import-untyped]  # no stubs published with it
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Select

log = logging.getLogger(__name__)

# what a connection that cannot carry a statement raises: the socket closed, the server went away or ended the
# session (SQLSTATE 08 connection exception, 57P operator intervention), the protocol lost its state
CONNECTION_ERRORS = (asyncpg.InterfaceError, asyncpg.InternalClientError, ConnectionError, OSError)
LOST_SQLSTATES = ("08", "57P")


def _connection_lost(exc: BaseException) -> bool:
    if isinstance(exc, CONNECTION_ERRORS):
        return True
    return isinstance(exc, asyncpg.PostgresError) and (exc.sqlstate or "").startswith(LOST_SQLSTATES)


class DirectStatement:
    """A Core statement compiled once, run on the session's asyncpg connection with its parameters by name."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: _Compiled | None = None

    def _compile(self, dialect: Dialect) -> _Compiled:
        if self._compiled is None:
            compiled = self.statement.compile(dialect=dialect)
            binds = [(name, compiled.binds[name].effective_value,
                      compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                     for name in compiled.positiontup or ()]
            row = namedtuple("DirectRow", [column.key for column in self.statement.selected_columns])  # type: ignore[misc]
            self._compiled = _Compiled(compiled.string, binds, row._make)
        return self._compiled

    async def fetch(self, session: AsyncSession, params: Mapping[str, Any]) -> list[Any]:
        """The statement's rows as named tuples (attributes by column key, as a Core row has them); see the
        module for the failures."""
        fresh = not session.in_transaction()
        try:
            return await self._fetch(await session.connection(), params)
        except sa_exc.DBAPIError as exc:
            if not (fresh and exc.connection_invalidated):
                raise
            log.info("database connection was closed while pooled; repeating the statement once: %r", exc.orig)
            await session.rollback()
            return await self._fetch(await session.connection(), params)

    async def _fetch(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[Any]:
        options = conn.sync_connection.get_execution_options() if conn.sync_connection is not None else {}
        if options.get("isolation_level") != "AUTOCOMMIT":
            raise RuntimeError("a direct statement runs on an autocommit session only")
        compiled = self._compile(conn.dialect)
        sql = compiled.sql
        args = []
        for name, default, process in compiled.binds:  # a literal's value is its bind's own
            value = params[name] if name in params else default
            args.append(value if process is None else process(value))
        raw: Any = (await conn.get_raw_connection()).driver_connection  # asyncpg.Connection
        try:
            records = await raw.fetch(sql, *args)
        except asyncpg.UniqueViolationError as exc:
            raise sa_exc.IntegrityError(sql, None, exc, hide_parameters=True) from exc
        except (asyncpg.PostgresError, *CONNECTION_ERRORS) as exc:
            if not _connection_lost(exc):
                raise sa_exc.DBAPIError(sql, None, exc, hide_parameters=True) from exc
            await conn.invalidate(exc)  # out of the pool
            raise sa_exc.OperationalError(sql, None, exc, hide_parameters=True, connection_invalidated=True) from exc
        make_row = compiled.make_row
        return [make_row(record) for record in records]


class _Compiled(NamedTuple):
    sql: str
    binds: list[tuple[str, Any, Any]]  # the positional parameters: name, own value, converter
    make_row: Callable[[Any], Any]  # a record → the named tuple of the selected columns' keys
