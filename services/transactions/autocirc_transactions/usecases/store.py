"""Storing one entry, amending and deleting records: the row, its audit entry and its event, all in the
caller's unit of work (many records at once: ``bulk_store``). Nothing here commits."""
from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import cast

from autocirc_shared.direct_sql import DirectStatement
from autocirc_shared.errors import AppError
from autocirc_shared.events.transactions import (
    TransactionAmended,
    TransactionDeleted,
    TransactionFacts,
    TransactionRecorded,
)
from autocirc_shared.messaging.tables import outbox
from autocirc_shared.messaging.unit_of_work import UnitOfWork, outbox_binds
from autocirc_shared.upserts import dialect_insert
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from ..domain.audit import changes
from ..domain.facts import facts_from
from ..domain.schemas import TransactionIn
from ..domain.transfer import transfer_kind
from ..models.transactions import Transaction, TransactionAudit
from .gate import EnterpriseContext

DUPLICATE_KEY = ["enterprise_id", "vin", "trade_date"]
TRANSACTIONS, AUDIT = cast(Table, Transaction.__table__), cast(Table, TransactionAudit.__table__)


def duplicate(existing_id: str | None = None) -> AppError:
    return AppError(409, "transactions.duplicate",
                    "本企业已录入过同一车辆识别代号、同一交易日期的交易信息，不能重复录入",
                    existing_id=existing_id)


def columns(record: TransactionIn, enterprise: EnterpriseContext) -> dict:
    """The searchable and reportable columns of a checked record, and the record itself as ``data``."""
    vehicle, deal = record.vehicle, record.deal
    return {
        "enterprise_id": enterprise.enterprise_id, "region_code": enterprise.region_code,
        "buyer_name": record.buyer.name, "seller_name": record.seller.name, "vin": vehicle.vin,
        "plate_number": vehicle.plate_number, "vehicle_type": vehicle.vehicle_type,
        "report_category": vehicle.report_category, "usage": vehicle.usage, "origin": vehicle.origin,
        "first_registration_date": vehicle.first_registration_date, "trade_date": deal.trade_date,
        "trade_type": deal.trade_type, "price": deal.price, "mileage_km": deal.mileage_km,
        "transfer": transfer_kind(enterprise.region_code, deal.transfer_region_code, deal.transfer_office),
        "data": record.model_dump(mode="json"),
    }


def facts_of(row: Transaction | Mapping) -> TransactionFacts:
    """What reports aggregate; never any personal data."""
    return facts_from(row.__getitem__ if isinstance(row, Mapping) else functools.partial(getattr, row))


def _audit(row: Transaction | Mapping, action: str, *, version: int, source: str, actor: str, actor_name: str,
           at: datetime, diff: list | None = None, snapshot: dict | None = None) -> dict:
    get = row.get if isinstance(row, Mapping) else lambda key: getattr(row, key)
    return {"transaction_id": get("id"), "enterprise_id": get("enterprise_id"), "version": version,
            "action": action, "source": source, "actor": actor, "actor_name": actor_name, "at": at,
            "changes": diff or [], "snapshot": snapshot}


def new_row(record: TransactionIn, enterprise: EnterpriseContext, *, actor: str, source: str, now: datetime,
            day: date) -> dict:
    """A new record's row (version 1) from a checked form."""
    return {"id": str(uuid.uuid4()), **columns(record, enterprise), "version": 1, "source": source,
            "reported_at": now, "reported_on": day, "created_by": actor, "updated_at": now, "updated_by": actor}


async def _insert_new(uow: UnitOfWork, rows: list[dict] | dict) -> set[str]:
    """Insert, skipping rows whose VIN and trade date the enterprise already has; the ids inserted.

    Core statements on the tables: the ORM's bulk path costs more Python than these inserts need."""
    # One compiled statement, rows as parameters: SQLAlchemy batches them ("insertmanyvalues").
    return set((await uow.session.execute(_insert_statement(uow.db.dialect), rows)).scalars())


@functools.cache
def _insert_statement(dialect: str):
    """Built once per dialect: constructing the statement costs about as much Python as running it."""
    return (dialect_insert(dialect, TRANSACTIONS).on_conflict_do_nothing(index_elements=DUPLICATE_KEY)
            .returning(TRANSACTIONS.c.id))


async def store_transaction(uow: UnitOfWork, enterprise: EnterpriseContext, record: TransactionIn, *, actor: str,
                            actor_name: str, reported_on: date, source: str = "api") -> dict | None:
    """The single-entry path: one checked record stored at version 1 with its audit entry and its outbox row
    (on PostgreSQL one statement, elsewhere three); returns the stored row, or None (and nothing written) when
    the enterprise already has its VIN and trade date."""
    now = datetime.now(UTC)
    row = new_row(record, enterprise, actor=actor, source=source, now=now, day=reported_on)
    audit = _audit(row, "create", version=1, source=source, actor=actor, actor_name=actor_name, at=now)
    event = TransactionRecorded(transaction_id=row["id"], version=1, facts=facts_of(row), recorded_at=now)
    if uow.db.dialect == "postgresql":
        with uow.outbox_rows([event]) as [announced]:
            params = {**row, **{AUDITED + k: v for k, v in audit.items()},
                      **{ANNOUNCED + k: v for k, v in announced.items()}}
            if uow.autocommit:
                stored = bool(await _entry_statement(tuple(row), tuple(audit)).fetch(uow.session, params))
            else:
                statement = _entry_statement(tuple(row), tuple(audit)).statement
                stored = (await uow.session.execute(statement, params)).first() is not None
        return row if stored else None
    if not await _insert_new(uow, row):
        return None
    await uow.session.execute(insert(AUDIT), audit)
    uow.emit(event)
    return row


AUDITED, ANNOUNCED = "audit_", "outbox_"  # the bind names of the audit entry's and the outbox row's values


@functools.cache
def _entry_statement(row_keys: tuple[str, ...], audit_keys: tuple[str, ...]):
    """PostgreSQL: the row (skipped on the duplicate key), and only if it went in its audit entry and its
    outbox row, as one statement (data-modifying CTEs), built once from the tables' metadata."""
    def binds(table: Table, keys: tuple[str, ...], prefix: str = "") -> dict:
        return {key: bindparam(prefix + key, type_=table.c[key].type) for key in keys}

    stored = (dialect_insert("postgresql", TRANSACTIONS).values(binds(TRANSACTIONS, row_keys))
              .on_conflict_do_nothing(index_elements=DUPLICATE_KEY).returning(TRANSACTIONS.c.id).cte("stored"))

    def after_stored(table: Table, values: dict, name: str):
        return insert(table).from_select(list(values), select(*values.values()).select_from(stored)).cte(name)

    return DirectStatement(select(stored.c.id).add_cte(
        after_stored(AUDIT, binds(AUDIT, audit_keys, AUDITED), "audit_row"),
        after_stored(outbox, outbox_binds("postgresql", ANNOUNCED), "outbox_row")))


async def find_duplicate(uow: UnitOfWork, enterprise_id: str, vin: str, trade_date: date,
                         exclude_id: str | None = None) -> str | None:
    query = select(Transaction.id).where(Transaction.enterprise_id == enterprise_id, Transaction.vin == vin,
                                         Transaction.trade_date == trade_date)
    if exclude_id:
        query = query.where(Transaction.id != exclude_id)
    return await uow.session.scalar(query.limit(1))


async def amend_transaction(uow: UnitOfWork, enterprise: EnterpriseContext, row: Transaction,
                            record: TransactionIn, *, actor: str, actor_name: str = "",
                            source: str = "api") -> bool:
    """Replace the record with a checked one: version + 1, audit entry with before/after,
    ``TransactionAmended`` with the full new facts. False (and nothing written) when nothing changed."""
    values = columns(record, enterprise)
    diff = changes(row.data, values["data"])
    if not diff:
        return False
    if (values["vin"], values["trade_date"]) != (row.vin, row.trade_date):  # else the key is the record's own
        existing = await find_duplicate(uow, row.enterprise_id, values["vin"], values["trade_date"],
                                        exclude_id=row.id)
        if existing:
            raise duplicate(existing)
    now = datetime.now(UTC)
    for key, value in values.items():
        setattr(row, key, value)
    row.version, row.updated_at, row.updated_by = row.version + 1, now, actor
    uow.session.add(TransactionAudit(**_audit(row, "update", version=row.version, source=source, actor=actor,
                                              actor_name=actor_name, at=now, diff=diff)))
    try:
        await uow.session.flush()
    except IntegrityError:  # a concurrent entry took the same VIN and trade date
        raise duplicate() from None
    uow.emit(TransactionAmended(transaction_id=row.id, version=row.version, facts=facts_of(row), amended_at=now))
    return True


async def delete_transaction(uow: UnitOfWork, row: Transaction, *, actor: str, actor_name: str = "",
                             source: str = "api") -> None:
    """Hard delete; the audit trail keeps who, when and the last content; ``TransactionDeleted`` at version + 1."""
    now, version = datetime.now(UTC), row.version + 1
    uow.session.add(TransactionAudit(**_audit(row, "delete", version=version, source=source, actor=actor,
                                              actor_name=actor_name, at=now, snapshot=row.data)))
    await uow.session.delete(row)
    uow.emit(TransactionDeleted(transaction_id=row.id, version=version, enterprise_id=row.enterprise_id,
                                deleted_at=now))
