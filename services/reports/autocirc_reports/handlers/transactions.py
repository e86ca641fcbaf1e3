"""Keep each transaction's facts and its enterprise's monthly sums in step with transactions' events.

Every event carries the transaction's version; one not newer than the stored version changes
nothing, so redelivery and reordering are harmless. The facts row is locked (PostgreSQL) while
the old facts are subtracted from the sums and the new ones added. Sums count in the region
reports knows the enterprise by (the event's region only until then): the enterprise row is
share-locked first, so a concurrent move waits for this event or this event for the move.
"""
from __future__ import annotations

from autocirc_shared.events.transactions import (
    TransactionAmended,
    TransactionDeleted,
    TransactionFacts,
    TransactionRecorded,
)
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import insert_for
from sqlalchemy import select

from ..domain.facts import SUM_COLUMNS, net_deltas
from ..models.enterprises import Enterprise
from ..models.facts import transaction_facts as facts_table
from ..models.facts import transaction_sums as sums_table

FACT_FIELDS = ("region_code", "trade_date", "report_category", "amount_yuan", "trade_type", "transfer", "usage",
               "origin", "first_registration_date")


async def _enterprise_region(uow: UnitOfWork, enterprise_id: str) -> str | None:
    query = select(Enterprise.region_code).where(Enterprise.enterprise_id == enterprise_id).with_for_update(read=True)
    return await uow.session.scalar(query) or None


async def _locked_facts(uow: UnitOfWork, transaction_id: str, enterprise_id: str):
    """The stored row (a version-0 placeholder when new), locked until commit."""
    placeholder = insert_for(uow.session, facts_table).values(
        transaction_id=transaction_id, enterprise_id=enterprise_id, version=0, deleted=False)
    await uow.session.execute(placeholder.on_conflict_do_nothing(index_elements=["transaction_id"]))
    query = select(facts_table).where(facts_table.c.transaction_id == transaction_id).with_for_update()
    return (await uow.session.execute(query)).mappings().one()


def _stored(row) -> TransactionFacts | None:
    if row["deleted"] or row["version"] == 0 or row["trade_date"] is None:
        return None
    return TransactionFacts(enterprise_id=row["enterprise_id"], **{f: row[f] for f in FACT_FIELDS})


async def add_to_sums(uow: UnitOfWork, old: TransactionFacts | None, new: TransactionFacts | None,
                      region_code: str | None = None) -> None:
    for key, region, deltas in net_deltas(old, new):
        region = region_code or region
        stmt = insert_for(uow.session, sums_table).values(
            enterprise_id=key.enterprise_id, month=key.month, category=key.category, region_code=region, **deltas)
        update = {c: sums_table.c[c] + stmt.excluded[c] for c in SUM_COLUMNS}
        await uow.session.execute(stmt.on_conflict_do_update(
            index_elements=["enterprise_id", "month", "category"], set_={**update, "region_code": region}))


async def apply(uow: UnitOfWork, transaction_id: str, enterprise_id: str, version: int,
                facts: TransactionFacts | None) -> None:
    """Make ``facts`` (None: deleted) the transaction's state at ``version``, if newer than what is stored."""
    region_code = await _enterprise_region(uow, enterprise_id)
    row = await _locked_facts(uow, transaction_id, enterprise_id)
    if version <= row["version"]:
        return
    await add_to_sums(uow, _stored(row), facts, region_code)
    values = {"version": version, "deleted": facts is None, **{f: None for f in FACT_FIELDS}}
    if facts is not None:
        values.update({f: getattr(facts, f) for f in FACT_FIELDS}, enterprise_id=facts.enterprise_id)
    await uow.session.execute(facts_table.update().where(facts_table.c.transaction_id == transaction_id)
                              .values(**values))


async def on_recorded(event: TransactionRecorded, uow: UnitOfWork) -> None:
    await apply(uow, event.transaction_id, event.facts.enterprise_id, event.version, event.facts)


async def on_amended(event: TransactionAmended, uow: UnitOfWork) -> None:
    await apply(uow, event.transaction_id, event.facts.enterprise_id, event.version, event.facts)


async def on_deleted(event: TransactionDeleted, uow: UnitOfWork) -> None:
    await apply(uow, event.transaction_id, event.enterprise_id, event.version, None)
