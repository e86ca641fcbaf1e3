"""Storing many checked records at once (an import chunk, a batch POST) at the cost of the work itself.

A checked record travels as a plain tuple (:func:`~.checked_rows.checked_row`: its columns and its form as JSON text),
so nothing is parsed or validated twice. On PostgreSQL the rows are loaded with ``COPY`` (asyncpg's
``copy_records_to_table`` on the session's own connection, inside its transaction) into a temporary
table dropped at commit, moved into ``transactions`` by one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
(the duplicate rule: an enterprise's VIN and trade date are stored once), and their audit rows are
copied straight in. On SQLite (embedded) both are one ``executemany``. Every call emits ONE
``TransactionsRecordedSet`` with the facts of the rows it stored. Nothing here commits.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import asyncpg
from autocirc_shared.events.transactions import MAX_SET_ITEMS, TransactionsRecordedSet
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import dialect_insert
from sqlalchemy import insert, text

from ..domain.facts import COLUMN_OF, FACTS
from ..domain.transfer import transfer_kind
from ..models.transactions import Transaction, TransactionAudit
from .checked_rows import AT, CheckedRow, duplicate_key
from .gate import EnterpriseContext
from .store import DUPLICATE_KEY

STORED = ("id", "enterprise_id", "region_code", "version", "source", "reported_at", "reported_on", "created_by",
          "updated_at", "updated_by", "buyer_name", "seller_name", "vin", "plate_number", "vehicle_type",
          "report_category", "usage", "origin", "first_registration_date", "trade_date", "trade_type", "transfer",
          "price", "mileage_km", "data")
AUDIT = ("transaction_id", "enterprise_id", "version", "action", "source", "actor", "actor_name", "at", "changes",
         "snapshot")
STAGING = "bulk_transactions"


def new_ids(count: int) -> list[str]:
    """``count`` UUIDs of version 7 (RFC 9562) as text, increasing: the time in milliseconds, a 12-bit counter
    (RFC 9562 method 1; past 4,096 ids the time steps on), 62 random bits. Increasing keys go to the primary key
    index's rightmost page instead of a random one (inserting 300,000 of them took 1.0-1.15 s against 1.7-1.8 s
    for random ones here); one ``os.urandom`` call for all (``str(uuid.uuid4())`` each was a tenth of an
    import's store pass)."""
    raw = bytearray(os.urandom(16 * count))
    now = time.time_ns() // 1_000_000
    for i in range(count):
        raw[16 * i:16 * i + 8] = ((now + (i >> 12)) << 16 | 0x7000 | i & 0xFFF).to_bytes(8, "big")
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # RFC 9562 variant
    h = raw.hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


@lru_cache(maxsize=4096)
def _transfer(enterprise_region: str, transfer_region_code: str | None, transfer_office: str) -> str:
    """``transfer_kind`` looked up once per distinct destination (an import has few; measured 60 µs a row)."""
    return transfer_kind(enterprise_region, transfer_region_code, transfer_office)


def _stored_tuple(row: CheckedRow, enterprise: EnterpriseContext, *, row_id: str, source: str, now: datetime,
                  day: date, actor: str) -> tuple:
    transfer = _transfer(enterprise.region_code, row[AT["transfer_region_code"]], row[AT["transfer_office"]])
    return (row_id, enterprise.enterprise_id, enterprise.region_code, 1, source, now, day, actor, now, actor,
            *row[:11], transfer, row[AT["price"]], row[AT["mileage_km"]], row[AT["data"]])


_FACT_AT = {name: STORED.index(COLUMN_OF.get(name, name)) for name in FACTS}


def _item(stored: tuple) -> dict[str, Any]:
    """The set event's item of a stored row, as the plain data the event is validated from."""
    return {"transaction_id": stored[0], "version": 1, "facts": {name: stored[at] for name, at in _FACT_AT.items()}}


def recorded_set(items: list[dict[str, Any]], *, source: str, recorded_at: datetime) -> TransactionsRecordedSet:
    """The set event of ``items`` (:func:`_item`), validated by pydantic-core in one call: twice as fast as
    building each item's two models with ``model_construct`` (5.9 → 3.3 ms per 1,000 items, measured), and checked."""
    return TransactionsRecordedSet.model_validate({"items": items, "source": source, "recorded_at": recorded_at})


async def _driver_connection(uow: UnitOfWork):
    """The asyncpg connection under the session, inside the session's open transaction (the driver adapter
    sends BEGIN with the first statement through it: when nothing has been run yet, a trivial one is)."""
    connection = await uow.session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None, "a pooled connection has its driver's"
    if not driver.is_in_transaction():
        await connection.execute(text("SELECT 1"))
    return driver


async def _copy_in(uow: UnitOfWork, rows: list[tuple], audit: list[tuple]) -> set[str]:
    """PostgreSQL: COPY straight into ``transactions`` (under a savepoint); when a row is a duplicate of a
    stored one, that COPY is undone and the rows go through a staging table instead, from which only the
    new ones are moved. Then the stored rows' audit entries are copied in."""
    conn = await _driver_connection(uow)
    await conn.execute("SAVEPOINT bulk_store")
    try:
        await conn.copy_records_to_table("transactions", records=rows, columns=STORED)
    except asyncpg.UniqueViolationError:
        await conn.execute("ROLLBACK TO SAVEPOINT bulk_store")
        ids = await _move_new(conn, rows)
        audit = [a for a in audit if a[0] in ids]
    else:
        ids = {row[0] for row in rows}
    await conn.execute("RELEASE SAVEPOINT bulk_store")
    if audit:
        await conn.copy_records_to_table("transaction_history", records=audit, columns=AUDIT)
    return ids


async def _move_new(conn, rows: list[tuple]) -> set[str]:
    """COPY into a staging table, move what is not a duplicate; the ids moved."""
    await conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (LIKE transactions) ON COMMIT DROP")
    await conn.execute(f"TRUNCATE {STAGING}")
    await conn.copy_records_to_table(STAGING, records=rows, columns=STORED)
    columns = ", ".join(STORED)
    inserted = await conn.fetch(
        f"INSERT INTO transactions ({columns}) SELECT {columns} FROM {STAGING} "
        f"ON CONFLICT ({', '.join(DUPLICATE_KEY)}) DO NOTHING RETURNING id")
    return {r["id"] for r in inserted}


async def _execute_many(uow: UnitOfWork, rows: list[tuple], audit: list[tuple]) -> set[str]:
    """SQLite: one executemany for the records (duplicates skipped), one for their audit rows."""
    params = [{**dict(zip(STORED, row)), "data": json.loads(row[-1])} for row in rows]
    stmt = (dialect_insert(uow.db.dialect, Transaction).on_conflict_do_nothing(index_elements=DUPLICATE_KEY)
            .returning(Transaction.id))
    ids = set((await uow.session.execute(stmt, params)).scalars())
    audit_params = [{**dict(zip(AUDIT, a)), "changes": []} for a in audit if a[0] in ids]
    if audit_params:
        await uow.session.execute(insert(TransactionAudit), audit_params)
    return ids


async def store_checked(uow: UnitOfWork, enterprise: EnterpriseContext, checked: Sequence[CheckedRow], *,
                        actor: str, actor_name: str, source: str, event_source: str,
                        reported_on: date) -> list[str | None]:
    """Store up to ``MAX_SET_ITEMS`` checked rows at version 1 with their audit entries and one set event.

    Returns, per row, its new id or None when it was skipped as a duplicate (of a stored record, or of an
    earlier row of ``checked``)."""
    if len(checked) > MAX_SET_ITEMS:
        raise ValueError(f"at most {MAX_SET_ITEMS} rows per call")
    now = datetime.now(UTC)
    rows: list[tuple | None] = []
    seen: set[tuple] = set()
    for row, row_id in zip(checked, new_ids(len(checked)), strict=True):
        key = duplicate_key(row)
        if key in seen:
            rows.append(None)
            continue
        seen.add(key)
        rows.append(_stored_tuple(row, enterprise, row_id=row_id, source=source, now=now, day=reported_on,
                                  actor=actor))
    fresh = [row for row in rows if row is not None]
    audit = [(row[0], enterprise.enterprise_id, 1, "create", source, actor, actor_name, now, "[]", None)
             for row in fresh]
    store = _copy_in if uow.db.dialect == "postgresql" else _execute_many
    ids = await store(uow, fresh, audit) if fresh else set()
    items = [_item(row) for row in fresh if row[0] in ids]
    if items:
        uow.emit(recorded_set(items, source=event_source, recorded_at=now))
    return [row[0] if row is not None and row[0] in ids else None for row in rows]
