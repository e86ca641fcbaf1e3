"""Statements run straight on asyncpg (autocirc_shared.direct_sql) on real PostgreSQL: the same rows SQLAlchemy
gives, SQLAlchemy's exceptions (so the 409 and 503 handlers answer as before), one repeat for a pooled connection
the server closed, and no use outside an autocommit session."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
import pytest
from autocirc_shared.db import Database, is_outage
from autocirc_shared.direct_sql import DirectStatement
from autocirc_transactions.models.transactions import EnterpriseGate, Transaction
from autocirc_transactions.usecases.entry import GATE_AND_SALES
from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy import exc as sa_exc

BACKEND_PID = DirectStatement(select(func.pg_backend_pid().label("pid")))


def raw_url(db: Database) -> str:
    return db.url.replace("postgresql+asyncpg", "postgresql")


async def test_direct_rows_are_the_rows_sqlalchemy_gives(system):
    db = system.runtime("transactions").db
    enterprise, vin = str(uuid.uuid4()), f"LDIRECT{uuid.uuid4().hex[:10].upper()}"
    now = datetime.now(UTC)
    async with db.sessionmaker() as session, session.begin():
        session.add(EnterpriseGate(enterprise_id=enterprise, name="直连测试企业", types=["used_car_dealer"],
                                   region_code="110101", region_as_of=now, confirmed_version=2))
        for n, day in enumerate((date(2026, 10, 1), date(2026, 11, 2))):
            session.add(Transaction(
                id=str(uuid.uuid4()), enterprise_id=enterprise, region_code="110101", version=1, source="api",
                reported_at=now, reported_on=day, created_by="t", updated_at=now, updated_by="t", buyer_name="买方",
                seller_name="卖方", vin=vin, plate_number=f"京A1234{n}", vehicle_type="K33",
                report_category="passenger_basic", usage="non_operating", origin="domestic",
                first_registration_date=date(2018, 3, 1), trade_date=day, trade_type="direct",
                price=Decimal("88000.50"), mileage_km=Decimal("52000.5") + n, transfer="local", data={"k": [1, "二"]}))
    try:
        params = {"enterprise_id": enterprise, "vin": vin}
        async with db.autocommit_sessionmaker() as session:
            direct = await GATE_AND_SALES.fetch(session, params)
        async with db.sessionmaker() as session:
            through_sqlalchemy = (await session.execute(GATE_AND_SALES.statement, params)).all()
        assert len(direct) == 2
        assert sorted(map(tuple, direct)) == sorted(map(tuple, through_sqlalchemy))
        assert direct[0].types == ["used_car_dealer"] and direct[0].confirmed_version == 2  # JSON decoded, by name
        assert {row.sale_mileage_km for row in direct} == {Decimal("52000.5"), Decimal("52001.5")}
    finally:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(delete(Transaction).where(Transaction.enterprise_id == enterprise))
            await session.execute(delete(EnterpriseGate).where(EnterpriseGate.enterprise_id == enterprise))


async def test_a_unique_violation_is_sqlalchemys_integrity_error_and_writes_nothing(system):
    db = system.runtime("transactions").db
    gate = EnterpriseGate.__table__
    enterprise = str(uuid.uuid4())
    added = insert(gate).from_select(
        ["enterprise_id", "name", "types", "region_code", "region_as_of"],
        select(literal(enterprise), literal("唯一"), literal([], gate.c.types.type), literal("110101"),
               literal(datetime.now(UTC), gate.c.region_as_of.type))).returning(gate.c.enterprise_id).cte("added")
    statement = DirectStatement(select(added.c.enterprise_id))
    try:
        async with db.autocommit_sessionmaker() as session:
            assert [row.enterprise_id for row in await statement.fetch(session, {})] == [enterprise]
            with pytest.raises(sa_exc.IntegrityError) as caught:
                await statement.fetch(session, {})
        assert isinstance(caught.value.orig, asyncpg.UniqueViolationError)
        async with db.sessionmaker() as session:
            assert await session.scalar(select(func.count()).where(gate.c.enterprise_id == enterprise)) == 1
    finally:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(delete(gate).where(gate.c.enterprise_id == enterprise))


async def test_a_pooled_connection_the_server_closed_is_replaced_once_later_failures_are_outages(system):
    db = Database(system.runtime("transactions").db.url, pool_size=1)
    admin = await asyncpg.connect(raw_url(db))
    try:
        async with db.autocommit_sessionmaker() as session:
            [first] = await BACKEND_PID.fetch(session, {})
        await admin.execute("SELECT pg_terminate_backend($1)", first.pid)  # while it sits in the pool
        await asyncio.sleep(0.2)  # the server's goodbye has reached the pooled connection
        async with db.autocommit_sessionmaker() as session:
            [second] = await BACKEND_PID.fetch(session, {})  # the first statement: repeated on a new connection
            assert second.pid != first.pid
            await admin.execute("SELECT pg_terminate_backend($1)", second.pid)
            with pytest.raises(sa_exc.DBAPIError) as caught:  # not the first: the request answers 503
                await BACKEND_PID.fetch(session, {})
        assert caught.value.connection_invalidated and is_outage(caught.value)
        async with db.autocommit_sessionmaker() as session:  # the dead connection left the pool
            [third] = await BACKEND_PID.fetch(session, {})
        assert third.pid not in (first.pid, second.pid)
    finally:
        await admin.close()
        await db.dispose()


async def test_a_direct_statement_refuses_a_session_in_a_transaction(system):
    db = system.runtime("transactions").db
    async with db.sessionmaker() as session:
        with pytest.raises(RuntimeError):
            await BACKEND_PID.fetch(session, {})
