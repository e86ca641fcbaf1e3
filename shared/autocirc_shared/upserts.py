"""``INSERT … ON CONFLICT`` for both databases a service may run on (PostgreSQL, SQLite).

Projections and counters use these so that repeated or reordered events are harmless and
concurrent replicas never lose an update to a read-modify-write in Python.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Insert = postgresql.Insert | sqlite.Insert


def dialect_insert(dialect_name: str, table: Table | type[Any]) -> Insert:
    """The dialect's own ``insert`` (the one with ``on_conflict_*``)."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_for(session: AsyncSession, table: Table | type[Any]) -> Insert:
    assert session.bind is not None, "a service's sessions are bound to its engine"
    return dialect_insert(session.bind.dialect.name, table)


async def upsert(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]],
                 update: Sequence[str] | None = None) -> None:
    """Insert ``rows``; on a primary-key conflict overwrite ``update`` (default: every non-key column given),
    or keep the existing row when there is nothing to overwrite."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key]
    stmt = insert_for(session, table).values(list(rows))
    columns = update if update is not None else [c for c in rows[0] if c not in keys]
    stmt = (stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in columns}) if columns
            else stmt.on_conflict_do_nothing(index_elements=keys))
    await session.execute(stmt)
