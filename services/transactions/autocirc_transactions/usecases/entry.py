"""The single-entry path (``POST /api/v1/transactions``), in the round trips its promises need: the
gate row and the VIN's recorded sales (for the warnings) in one query; the row, its audit entry and its
outbox row in one statement on PostgreSQL (:func:`.store.store_transaction`), which commits itself (the
route's unit of work is ``autocommit``: no BEGIN/COMMIT round trips), both run straight on asyncpg
(:mod:`autocirc_shared.direct_sql`); on SQLite and behind PgBouncer one transaction through SQLAlchemy."""
from __future__ import annotations

from datetime import date

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.direct_sql import DirectStatement
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import bindparam, select

from ..domain.schemas import TransactionIn
from ..domain.vehicle_rules import Finding, Sale
from ..models.transactions import EnterpriseGate, Transaction
from .gate import EnterpriseContext, confirmed, ensure_enterprise, require_confirmed_enterprise
from .store import duplicate, find_duplicate, store_transaction
from .vehicle_lookup import HISTORY_COLUMNS, sale_key_of, sale_warnings

GATE, TRANSACTIONS = EnterpriseGate.__table__, Transaction.__table__
SALE = "sale_"  # the labels of the recorded sales' columns beside the gate's


def _gate_and_sales():
    """The enterprise's gate row once per recorded sale of the VIN (once with NULLs when there is none);
    no row when the gate does not know the enterprise."""
    sales = [TRANSACTIONS.c[column.key].label(SALE + column.key) for column in HISTORY_COLUMNS]
    return (select(*GATE.c, *sales)
            .select_from(GATE.outerjoin(TRANSACTIONS, TRANSACTIONS.c.vin == bindparam("vin")))
            .where(GATE.c.enterprise_id == bindparam("enterprise_id")))


# built once; run straight on asyncpg in the entry's autocommit session, else (SQLite, PgBouncer) through SQLAlchemy
GATE_AND_SALES = DirectStatement(_gate_and_sales())


async def entry_gate(uow: UnitOfWork, principal: Principal,
                     vin: str | None) -> tuple[EnterpriseContext, list[Sale]]:
    """:func:`.gate.require_confirmed_enterprise`, with the recorded sales of ``vin`` read in the same query
    (``vin`` None: a form with errors, the gate only)."""
    if vin is None:
        return await require_confirmed_enterprise(uow, principal), []
    params = {"enterprise_id": ensure_enterprise(principal), "vin": vin}
    if uow.autocommit:
        rows = await GATE_AND_SALES.fetch(uow.session, params)
    else:
        rows = list((await uow.session.execute(GATE_AND_SALES.statement, params)).all())
    enterprise = confirmed(rows[0] if rows else None)
    return enterprise, [Sale(enterprise_id=row.sale_enterprise_id, trade_date=row.sale_trade_date,
                             mileage_km=row.sale_mileage_km, plate_number=row.sale_plate_number,
                             order=row.sale_reported_at.timestamp())
                        for row in rows if row.sale_vin is not None]


async def enter_transaction(uow: UnitOfWork, principal: Principal, enterprise: EnterpriseContext,
                            record: TransactionIn, known: list[Sale], *,
                            reported_on: date) -> tuple[dict, list[Finding]]:
    """Store a checked record the gate admitted and commit: the stored row and the plausibility warnings
    (judged against ``known``, the VIN's sales recorded before); 409 ``transactions.duplicate`` with the
    existing record's id when the enterprise already has its VIN and trade date."""
    warnings = sale_warnings(enterprise.enterprise_id, sale_key_of(record), known)
    row = await store_transaction(uow, enterprise, record, actor=principal.account_id,
                                  actor_name=principal.username, reported_on=reported_on)
    if row is None:
        raise duplicate(await find_duplicate(uow, enterprise.enterprise_id, record.vehicle.vin,
                                             record.deal.trade_date))
    await uow.commit()
    return row, warnings
