"""Reading a vehicle's sales across enterprises: each look-up is one query on ``ix_transactions_vin``."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import String, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from ..domain.schemas import TransactionIn
from ..domain.vehicle_rules import Finding, Sale, date_warnings, entry_warnings
from ..models.transactions import EnterpriseGate, Transaction
from .checked_rows import CheckedRow, sale_key

VINS_PER_QUERY = 500
VINS_PER_ARRAY = 20_000

HISTORY_COLUMNS = (Transaction.vin, Transaction.enterprise_id, Transaction.trade_date, Transaction.mileage_km,
                   Transaction.plate_number, Transaction.region_code, Transaction.reported_at)


def sale_of(row) -> Sale:
    return Sale(enterprise_id=row.enterprise_id, trade_date=row.trade_date, mileage_km=row.mileage_km,
                plate_number=row.plate_number, order=row.reported_at.timestamp())


async def vehicle_history(uow: UnitOfWork, vin: str) -> list:
    """Every recorded sale of ``vin`` with the enterprise's name and USCC, oldest first."""
    query = (select(*HISTORY_COLUMNS, EnterpriseGate.name.label("enterprise_name"),
                    EnterpriseGate.uscc.label("enterprise_uscc"))
             .outerjoin(EnterpriseGate, EnterpriseGate.enterprise_id == Transaction.enterprise_id)
             .where(Transaction.vin == vin).order_by(Transaction.trade_date, Transaction.reported_at))
    return list(await uow.session.execute(query))


async def histories(uow: UnitOfWork, vins: Iterable[str]) -> dict[str, list[Sale]]:
    """The sales of each of ``vins`` (VINs without any are absent). On PostgreSQL the VINs go as one array
    parameter (``= ANY``), many thousands a query; elsewhere as an ``IN`` list of up to 500."""
    vins, found = sorted(set(vins)), {}
    array = uow.db.dialect == "postgresql"
    per_query = VINS_PER_ARRAY if array else VINS_PER_QUERY
    for start in range(0, len(vins), per_query):
        part = vins[start:start + per_query]
        where = (Transaction.vin == any_(bindparam("vins", part, type_=ARRAY(String)))) if array \
            else Transaction.vin.in_(part)
        for row in await uow.session.execute(select(*HISTORY_COLUMNS).where(where)):
            found.setdefault(row.vin, []).append(sale_of(row))
    return found


SaleKey = tuple[str, date, Decimal | None, str | None, date | None, date | None]


async def warnings_for_sales(uow: UnitOfWork, enterprise_id: str, sales: list[SaleKey]) -> list[list[Finding]]:
    """The plausibility warnings of each ``(vin, trade_date, mileage_km, plate_number, first_registration_date,
    initial_purchase_date)`` about to be stored (one query for all their VINs), judged against what is already
    recorded, and the record's own dates; call it before storing."""
    known = await histories(uow, (vin for vin, *_ in sales))
    return [sale_warnings(enterprise_id, sale, known.get(sale[0], [])) for sale in sales]


def sale_warnings(enterprise_id: str, sale: SaleKey, known: list[Sale]) -> list[Finding]:
    """The warnings of one sale about to be stored, given its VIN's recorded sales."""
    _, trade_date, mileage_km, plate_number, first_registration, purchase = sale
    return (entry_warnings(Sale(enterprise_id=enterprise_id, trade_date=trade_date, mileage_km=mileage_km,
                                plate_number=plate_number), known)
            + date_warnings(first_registration, purchase))


def sale_key_of(record: TransactionIn) -> SaleKey:
    return (record.vehicle.vin, record.deal.trade_date, record.deal.mileage_km, record.vehicle.plate_number,
            record.vehicle.first_registration_date, record.deal.initial_purchase_date)


async def warnings_for(uow: UnitOfWork, enterprise_id: str, records: list[TransactionIn]) -> list[list[Finding]]:
    """:func:`warnings_for_sales` of checked records (single entries, a batch)."""
    return await warnings_for_sales(uow, enterprise_id, [sale_key_of(record) for record in records])


async def vins_seen_more_than_once(uow: UnitOfWork, region_codes: frozenset[str] | None, start: date,
                                   end: date, limit: int) -> list[str]:
    """VINs traded in the region within [start, end) that have more than one recorded sale anywhere:
    only they can have findings."""
    local = select(Transaction.vin).where(Transaction.trade_date >= start, Transaction.trade_date < end)
    if region_codes is not None:
        local = local.where(Transaction.region_code.in_(sorted(region_codes)))
    query = (select(Transaction.vin).where(Transaction.vin.in_(local.distinct().scalar_subquery()))
             .group_by(Transaction.vin).having(func.count() > 1).order_by(Transaction.vin).limit(limit))
    return list(await uow.session.scalars(query))


async def import_warnings(uow: UnitOfWork, enterprise_id: str, rows: list[CheckedRow]) -> list[dict]:
    """The plausibility warnings of a chunk of an import about to be stored, flat: ``{"vin","trade_date","code",
    "message"}`` each. Judged against what the import's own transaction sees of the VINs: the sales recorded
    before the import and the file's rows stored in earlier chunks, never those of the chunk itself.

    On PostgreSQL the look-up is made to use the VIN index: the planner's statistics do not know the rows
    the import has just added (a fresh table looks empty), and a sequential scan per chunk over them took 72 s
    of a 100,000-row import."""
    keys = [sale_key(row) for row in rows]
    postgres = uow.db.dialect == "postgresql"
    if postgres:
        await uow.session.execute(text("SET LOCAL enable_seqscan = off"))
    known = await histories(uow, (key[0] for key in keys))  # a failure ends the transaction, the setting with it
    if postgres:
        await uow.session.execute(text("SET LOCAL enable_seqscan = DEFAULT"))
    found = []
    for key in keys:
        warnings = sale_warnings(enterprise_id, key, known.get(key[0], []))
        found += [{"vin": key[0], "trade_date": key[1].isoformat(), **warning.as_dict()} for warning in warnings]
    return found
