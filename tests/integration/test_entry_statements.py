"""What one used-car entry costs the database on PostgreSQL: at most 3 round trips on the request path (the gate
and the VIN's sales; the row, its audit entry and its outbox row in one self-committing statement; the token's
freshness when its brief cache has expired; no BEGIN/COMMIT: counted as bench/bench_entry.py counts them, the issue's
limit is 6), and still every promise of the path."""
from __future__ import annotations

import contextvars

import pytest
from sqlalchemy import event, select

from tests.support.api import bearer
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body

URL = "/api/v1/transactions"
MAX_STATEMENTS = 3
IN_REQUEST = contextvars.ContextVar("in_request", default=False)


async def test_an_entry_costs_at_most_six_statements_and_keeps_its_promises(system, monkeypatch):
    from autocirc_shared.direct_sql import DirectStatement
    from autocirc_shared.messaging.tables import outbox
    from autocirc_transactions.models.transactions import TransactionAudit

    _, token = await confirmed_enterprise(system.client)
    runtime = system.runtime("transactions")
    assert runtime.db.dialect == "postgresql"
    statements: list[str] = []

    def one(*args, **_kwargs) -> None:
        if not IN_REQUEST.get():  # the request's own task; the relay and the consumers run in theirs
            return
        if len(args) > 2:
            statements.append(args[2])
        elif args[0].get_execution_options().get("isolation_level") != "AUTOCOMMIT":  # else nothing is sent
            statements.append("BEGIN/COMMIT/ROLLBACK")

    fetch = DirectStatement._fetch

    async def direct(self, conn, params):  # straight on asyncpg: SQLAlchemy's events do not see these
        if IN_REQUEST.get():
            statements.append(self._compile(conn.dialect).sql)
        return await fetch(self, conn, params)

    monkeypatch.setattr(DirectStatement, "_fetch", direct)
    engine = runtime.db.engine.sync_engine
    names = ("begin", "commit", "rollback", "before_cursor_execute")
    for name in names:
        event.listen(engine, name, one)
    try:
        counts, answers = [], []
        for i in range(3):  # the first may also read the token's freshness (cached per account briefly)
            statements.clear()
            token_var = IN_REQUEST.set(True)
            try:
                answers.append(await system.client.post(
                    URL, headers=bearer(token), json=transaction_body(vehicle={"vin": make_vin("LSTMT000", i)})))
            finally:
                IN_REQUEST.reset(token_var)
            counts.append(len(statements))
            assert 2 <= len(statements) <= MAX_STATEMENTS, statements  # the gate read and the write at least
        statements.clear()
        token_var = IN_REQUEST.set(True)
        try:
            again = await system.client.post(URL, headers=bearer(token),
                                             json=transaction_body(vehicle={"vin": make_vin("LSTMT000", 0)}))
        finally:
            IN_REQUEST.reset(token_var)
        assert len(statements) <= MAX_STATEMENTS + 1, statements  # the 409 also looks up the existing record's id
    finally:
        for name in names:
            event.remove(engine, name, one)

    assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
    assert again.status_code == 409 and again.json()["code"] == "transactions.duplicate"
    assert again.json()["existing_id"] == answers[0].json()["id"]
    ids = [a.json()["id"] for a in answers]
    async with runtime.uow() as uow:  # each entry's audit entry and event went in with it, the duplicate's not
        audited = list(await uow.session.scalars(select(TransactionAudit.transaction_id)
                                                 .where(TransactionAudit.transaction_id.in_(ids))))
        envelopes = list(await uow.session.scalars(select(outbox.c.envelope)
                                                   .where(outbox.c.name == "transactions.recorded.v1")))
    assert sorted(audited) == sorted(ids)
    recorded = [env["payload"]["transaction_id"] for env in envelopes]
    assert all(recorded.count(i) == 1 for i in ids), recorded


async def test_a_self_committing_unit_of_work_refuses_a_separate_event(system):
    """Its one statement carries its outbox rows; an event written apart from the change would not be atomic."""
    from datetime import UTC, datetime

    from autocirc_shared.events.identity import CredentialsChanged

    runtime = system.runtime("transactions")
    async with runtime.uow(autocommit=True) as uow:
        assert uow.autocommit
        with pytest.raises(RuntimeError):
            uow.emit(CredentialsChanged(account_id="a", reason="test", valid_after=datetime.now(UTC)))
