"""Reading a vehicle's sales across enterprises: each look-up is one query on ``ix_transactions_vin``."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import func, select

from ..domain.schemas import TransactionIn
from ..domain.vehicle_rules import Finding, Sale, date_warnings, entry_warnings
from ..models.transactions import EnterpriseGate, Transaction
from .bulk_store import CheckedRow, sale_key

VINS_PER_QUERY = 500

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
    """The sales of each of ``vins`` (VINs without any are absent)."""
    vins, found = sorted(set(vins)), {}
    for start in range(0, len(vins), VINS_PER_QUERY):
        query = select(*HISTORY_COLUMNS).where(Transaction.vin.in_(vins[start:start + VINS_PER_QUERY]))
        for row in await uow.session.execute(query):
            found.setdefault(row.vin, []).append(sale_of(row))
    return found


SaleKey = tuple[str, date, Decimal | None, str | None, date | None, date | None]


async def warnings_for_sales(uow: UnitOfWork, enterprise_id: str, sales: list[SaleKey]) -> list[list[Finding]]:
    """The plausibility warnings of each ``(vin, trade_date, mileage_km, plate_number, first_registration_date,
    initial_purchase_date)`` about to be stored (one query for all their VINs), judged against what is already
    recorded, and the record's own dates; call it before storing."""
    known = await histories(uow, (vin for vin, *_ in sales))
    return [entry_warnings(Sale(enterprise_id=enterprise_id, trade_date=trade_date, mileage_km=mileage_km,
                                plate_number=plate_number), known.get(vin, []))
            + date_warnings(first_registration, purchase)
            for vin, trade_date, mileage_km, plate_number, first_registration, purchase in sales]


async def warnings_for(uow: UnitOfWork, enterprise_id: str, records: list[TransactionIn]) -> list[list[Finding]]:
    """:func:`warnings_for_sales` of checked records (single entries, a batch)."""
    return await warnings_for_sales(uow, enterprise_id, [
        (record.vehicle.vin, record.deal.trade_date, record.deal.mileage_km, record.vehicle.plate_number,
         record.vehicle.first_registration_date, record.deal.initial_purchase_date)
        for record in records])


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
    """The warnings of an import chunk's checked rows, flat: ``{"vin","trade_date","code","message"}`` each."""
    sales = [sale_key(row) for row in rows]
    return [{"vin": vin, "trade_date": trade_date.isoformat(), **warning.as_dict()}
            for (vin, trade_date, *_), warnings in zip(sales, await warnings_for_sales(uow, enterprise_id, sales))
            for warning in warnings]
