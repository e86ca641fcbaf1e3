"""The import's store (ChunkStore) on real PostgreSQL and on SQLite: chunks stored in the import's own transaction,
each judged for plausibility against what that transaction sees of its VINs."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from autocirc_shared.auth.tokens import Principal
from autocirc_transactions.domain.checks import check_transaction
from autocirc_transactions.main import create_runtime
from autocirc_transactions.models.transactions import Transaction
from autocirc_transactions.settings import TransactionsSettings
from autocirc_transactions.usecases import bulk_store, checked_rows, import_store
from autocirc_transactions.usecases.gate import EnterpriseContext
from autocirc_transactions.usecases.import_store import ChunkStore
from sqlalchemy import func, select, text

from tests.integration.test_transactions_excel import record
from tests.support.system import drop_databases

TODAY = date(2026, 12, 2)


def context(enterprise_id: str) -> EnterpriseContext:
    return EnterpriseContext(enterprise_id=enterprise_id, name="x", region_code="110101", types=("used_car_dealer",),
                             filing_version=1)


def principal(enterprise_id: str) -> Principal:
    return Principal(account_id=str(uuid.uuid4()), username="clerk", kind="enterprise", enterprise_id=enterprise_id,
                     types=["used_car_dealer"], region_code="110101")


@pytest.fixture(params=["postgresql", "sqlite"])
async def runtime(request, pg_url, tmp_path: Path):
    """A started transactions runtime on its own PostgreSQL database, or on SQLite (embedded)."""
    prefix = f"is{uuid.uuid4().hex[:8]}"
    postgres = request.param == "postgresql"
    runtime = create_runtime(TransactionsSettings(database_url=pg_url if postgres else None, database_prefix=prefix,
                                                  amqp_url=None, data_dir=tmp_path, s3_endpoint=None))
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
        if postgres:
            await drop_databases(pg_url, prefix, services=["transactions"])


async def test_chunks_are_judged_against_the_sales_before_the_import_and_the_files_earlier_chunks(runtime,
                                                                                                 monkeypatch):
    """A row is judged against its VIN's sales recorded before the import (another enterprise's, same day) and the
    file's rows stored in earlier chunks, not those of its own chunk nor duplicates that were skipped; what is
    stored is seen by nobody else until the commit, and the counts are the chunks' own."""
    monkeypatch.setattr(import_store, "MAX_SET_ITEMS", 3)  # chunks of three rows
    enterprise, other = str(uuid.uuid4()), str(uuid.uuid4())
    checked = [checked_rows.checked_row(check_transaction(record(i), today=TODAY)[0]) for i in range(3)]
    vin_at, day_at, km_at = (checked_rows.CHECKED.index(n) for n in ("vin", "trade_date", "mileage_km"))

    def sale(row, day=None, km=None):
        row = list(row)
        row[day_at], row[km_at] = day or row[day_at], km
        return tuple(row)

    a, b, c = (row[vin_at] for row in checked)
    async with runtime.uow() as uow:  # recorded before the import, by another enterprise
        await bulk_store.store_checked(uow, context(other), [sale(checked[0], km=Decimal("90000"))], actor="o",
                                       actor_name="o", source="batch", event_source="batch", reported_on=TODAY)
        await uow.commit()
    async with runtime.uow() as uow:
        store = ChunkStore(uow, context(enterprise), principal(enterprise), TODAY)
        first = [sale(checked[0], km=Decimal("1000")), sale(checked[1], km=Decimal("50000")),
                 sale(checked[1], km=Decimal("100"))]  # b twice on one day: the second is a duplicate
        second = [sale(checked[1], day=date(2025, 1, 5), km=Decimal("20000")), sale(checked[2], km=Decimal("5"))]
        await store.add(first[:2])
        await store.add(first[2:] + second)  # the first chunk (three rows) starts storing
        await store.finish()
        async with runtime.db.sessionmaker() as outside:
            assert await outside.scalar(select(func.count()).select_from(Transaction)) == 1, "not committed yet"
        await uow.commit()
    assert sorted((w["vin"], w["code"]) for w in store.warnings) == [
        (a, "mileage.decreased"), (a, "vin.concurrent_trade"),  # against the other enterprise's sale
        (b, "mileage.decreased")]  # b's 20,000 km after its 50,000 km row of the first chunk; not c
    assert (store.imported, store.duplicates) == (4, 1)
    async with runtime.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Transaction)) == 5


async def test_a_store_stopped_mid_chunk_leaves_nothing(runtime, monkeypatch):
    """Stopping on an error or a shutdown, one chunk stored and the next one started, cancels that one (it is not
    waited for); the transaction then rolls back cleanly and nothing of either chunk is stored."""
    monkeypatch.setattr(import_store, "MAX_SET_ITEMS", 500)
    enterprise = str(uuid.uuid4())
    rows = [checked_rows.checked_row(check_transaction(record(i, prefix="LJ12EKR1"), today=TODAY)[0])
            for i in range(1_000)]
    in_flight = []
    with pytest.raises(RuntimeError, match="stopped"):
        async with runtime.uow() as uow:
            store = ChunkStore(uow, context(enterprise), principal(enterprise), TODAY)
            async with store:  # left on an exception: abandoned, the chunk in flight cancelled
                await store.add(rows)  # the first chunk stored, the second storing
                assert store.task is not None and not store.task.done()
                in_flight.append(store.task)
                raise RuntimeError("stopped")
    assert in_flight[0].cancelled() and store.task is None and store.rows == []
    async with runtime.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Transaction)) == 0


async def test_the_outbox_keeps_an_imports_set_events_uncompressed_on_postgresql(runtime):
    """Migration 0009: an import chunk's ~350 KB set event is stored out of line without pglz (7% of the server's
    CPU during an import); SQLite, which has no storage setting, runs the migration as a step that changes nothing."""
    async with runtime.uow() as uow:
        version = await uow.session.scalar(text("SELECT version_num FROM alembic_version"))
        storage = await uow.session.scalar(text(
            "SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'outbox'::regclass AND attname = 'envelope'"
        )) if runtime.db.dialect == "postgresql" else "e"
    assert version >= "0009" and storage == "e"
