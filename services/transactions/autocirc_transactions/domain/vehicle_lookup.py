"""Reading a vehicle's sales across enterprises: each look-up is one query on ``ix_transactions_vin``."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import func, select

from ..models.transactions import EnterpriseGate, Transaction
from .schemas import TransactionIn
from .vehicle_rules import Finding, Sale, entry_warnings

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


async def warnings_for(uow: UnitOfWork, enterprise_id: str, records: list[TransactionIn]) -> list[list[Finding]]:
    """The plausibility warnings of each record about to be stored (one query for all their VINs), judged
    against what is already recorded; call it before storing."""
    known = await histories(uow, (record.vehicle.vin for record in records))
    return [entry_warnings(Sale(enterprise_id=enterprise_id, trade_date=record.deal.trade_date,
                                mileage_km=record.deal.mileage_km, plate_number=record.vehicle.plate_number),
                           known.get(record.vehicle.vin, []))
            for record in records]


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


async def import_warnings(uow: UnitOfWork, enterprise_id: str, records: list[TransactionIn]) -> list[dict]:
    """:func:`warnings_for` of an import chunk, flat: ``{"vin","trade_date","code","message"}`` each."""
    return [{"vin": record.vehicle.vin, "trade_date": record.deal.trade_date.isoformat(), **warning.as_dict()}
            for record, warnings in zip(records, await warnings_for(uow, enterprise_id, records))
            for warning in warnings]
