"""Keep each transaction's facts and its enterprise's monthly sums in step with transactions' events.

Every event carries the transaction's version; one not newer than the version the facts row holds
changes nothing, so redelivery, reordering and a set event applied twice are harmless: sums stay
exact because each facts row remembers the version it contributed. Events are applied a delivery
batch at a time (``apply_events``, one call per batch, see ``InboxConsumer``):

1. the enterprises' rows are share-locked (a concurrent region move waits for this batch or it for
   the move); sums count in the region reports knows the enterprise by (the event's region until then);
2. the newest state of each transaction is inserted as its facts row, ``ON CONFLICT DO NOTHING``:
   the rows that went in are new and add their facts; a replica holding the same transaction
   uncommitted makes this one wait on that key, never lose an update;
3. the rest are locked (``FOR UPDATE``) and, where the batch is newer, their old facts are taken off
   and the new ones added;
4. the deltas, added up per (enterprise, month, category) in memory, are written once per row.

Rows are always touched in key order, so two replicas applying overlapping batches cannot deadlock.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from autocirc_shared.events.transactions import (
    FACT_FIELDS,
    TransactionAmended,
    TransactionDeleted,
    TransactionFacts,
    TransactionRecorded,
    TransactionsRecordedSet,
)
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import insert_for
from sqlalchemy import bindparam, select

from ..domain.facts import SUM_COLUMNS, Change, SumDeltas, newest
from ..models.enterprises import Enterprise
from ..models.facts import transaction_facts as facts_table
from ..models.facts import transaction_sums as sums_table

TransactionEvent = TransactionRecorded | TransactionAmended | TransactionDeleted | TransactionsRecordedSet


def changes_of(event: TransactionEvent) -> list[Change]:
    if isinstance(event, TransactionsRecordedSet):
        return [Change(item.transaction_id, item.facts.enterprise_id, item.version, item.facts) for item in event.items]
    if isinstance(event, TransactionDeleted):
        return [Change(event.transaction_id, event.enterprise_id, event.version, None)]
    return [Change(event.transaction_id, event.facts.enterprise_id, event.version, event.facts)]


async def _enterprise_regions(uow: UnitOfWork, enterprise_ids: set[str]) -> dict[str, str]:
    query = (select(Enterprise.enterprise_id, Enterprise.region_code)
             .where(Enterprise.enterprise_id.in_(sorted(enterprise_ids)))
             .order_by(Enterprise.enterprise_id).with_for_update(read=True))
    return {row.enterprise_id: row.region_code for row in await uow.session.execute(query) if row.region_code}


def _row_of(change: Change) -> dict:
    facts = change.facts
    values = {f: getattr(facts, f) if facts is not None else None for f in FACT_FIELDS}
    return {"transaction_id": change.transaction_id, "enterprise_id": change.enterprise_id,
            "version": change.version, "deleted": facts is None, **values}


def _stored(row: Mapping) -> TransactionFacts | None:
    if row["deleted"] or row["version"] == 0 or row["trade_date"] is None:
        return None
    return TransactionFacts(enterprise_id=row["enterprise_id"], **{f: row[f] for f in FACT_FIELDS})


async def _insert_new(uow: UnitOfWork, changes: Sequence[Change]) -> set[str]:
    """Insert the facts rows of transactions not seen before; the ids that went in."""
    stmt = (insert_for(uow.session, facts_table).on_conflict_do_nothing(index_elements=["transaction_id"])
            .returning(facts_table.c.transaction_id))
    return set((await uow.session.execute(stmt, [_row_of(c) for c in changes])).scalars())


async def _locked_rows(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, Mapping]:
    query = (select(facts_table).where(facts_table.c.transaction_id.in_(ids))
             .order_by(facts_table.c.transaction_id).with_for_update())
    return {row["transaction_id"]: row for row in (await uow.session.execute(query)).mappings()}


async def _update_rows(uow: UnitOfWork, changes: Sequence[Change]) -> None:
    stmt = facts_table.update().where(facts_table.c.transaction_id == bindparam("b_transaction_id"))
    rows = []
    for change in changes:
        row = _row_of(change)
        row["b_transaction_id"] = row.pop("transaction_id")
        rows.append(row)
    await uow.session.execute(stmt, rows)


async def _write_sums(uow: UnitOfWork, deltas: SumDeltas, regions: Mapping[str, str]) -> None:
    rows = [{"enterprise_id": key.enterprise_id, "month": key.month, "category": key.category,
             "region_code": regions.get(key.enterprise_id) or region, **values}
            for key, region, values in deltas.rows()]
    if not rows:
        return
    stmt = insert_for(uow.session, sums_table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["enterprise_id", "month", "category"],
        set_={**{c: sums_table.c[c] + stmt.excluded[c] for c in SUM_COLUMNS}, "region_code": stmt.excluded.region_code})
    await uow.session.execute(stmt, rows)


async def apply_changes(uow: UnitOfWork, changes: Sequence[Change]) -> None:
    """Make each transaction's newest change its stored state, where newer than what is stored."""
    latest = newest(changes)
    if not latest:
        return
    regions = await _enterprise_regions(uow, {c.enterprise_id for c in latest})
    inserted = await _insert_new(uow, latest)
    deltas = SumDeltas()
    for change in latest:
        if change.transaction_id in inserted:
            deltas.add(None, change.facts)
    rest = [c for c in latest if c.transaction_id not in inserted]
    if rest:
        stored = await _locked_rows(uow, [c.transaction_id for c in rest])
        newer = [c for c in rest if c.version > stored[c.transaction_id]["version"]]
        for change in newer:
            deltas.add(_stored(stored[change.transaction_id]), change.facts)
        if newer:
            await _update_rows(uow, newer)
    await _write_sums(uow, deltas, regions)


async def apply_events(events: Sequence[TransactionEvent], uow: UnitOfWork) -> None:
    """The batch handler of every transactions event."""
    await apply_changes(uow, [change for event in events for change in changes_of(event)])


async def on_transaction_event(event: TransactionEvent, uow: UnitOfWork) -> None:
    await apply_events([event], uow)


