"""RELIABILITY scenarios 2 and 3, without stopping the machine's shared servers.

2. RabbitMQ frozen: the TCP proxy between the system and the broker holds every byte (connections stay
   open, nothing answers: what a SIGSTOPped broker looks like) while entries go on. Entry latency must not
   depend on the broker (events wait in the outbox); once it thaws, every record is summed once.
3. PostgreSQL cut mid-entry: a second proxy between the system and PostgreSQL drops every connection for
   a while. Each answer is then 201 with the row stored, or 503 ``service.unavailable`` (never a 500), and
   no 201 stands without its stored row; after the cut, entry works again and reports sum every record.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import pytest
from autocirc_shared.messaging.tables import outbox
from autocirc_transactions.models.transactions import Transaction
from sqlalchemy import func, select

from tests.integration.test_transactions_excel import record
from tests.support.api import HANGZHOU_XIHU, bearer
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import service_db, until_reconciled
from tests.support.system import running_system, system_env
from tests.support.tcpproxy import TcpProxy

from .conftest import FAULT_ENV

FREEZE_SECONDS = 60.0  # RELIABILITY scenario 2: longer than the 60 s heartbeat would need to notice
DB_CUT_SECONDS = 4.0


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


async def steady_entries(client, token: str, bodies: list[dict], rate: float, log: list) -> None:
    """Open-loop arrivals at ``rate`` per second; each answer is logged as (sent_at, seconds, response, body)."""
    started = time.monotonic()

    async def one(body: dict) -> None:
        sent = time.monotonic()
        response = await client.post("/api/v1/transactions", json=body, headers=bearer(token))
        log.append((sent, time.monotonic() - sent, response, body))

    tasks = []
    for i, body in enumerate(bodies):
        await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one(body)))
    await asyncio.gather(*tasks)


async def test_frozen_broker_does_not_slow_entry_and_loses_nothing(faulty_system):
    system, proxy = faulty_system, faulty_system.proxy
    transactions = system.runtime("transactions")
    enterprise, token = await confirmed_enterprise(system.client, residence=HANGZHOU_XIHU)
    rate, seconds = 20.0, 5.0 + FREEZE_SECONDS + 5.0
    log: list = []
    window: dict = {}

    async def freezer() -> None:
        await asyncio.sleep(5.0)
        window["from"] = time.monotonic()
        proxy.freeze()
        while time.monotonic() - window["from"] < FREEZE_SECONDS:
            if "noticed" not in window:
                async with transactions.db.sessionmaker() as session:
                    if await session.scalar(select(func.count()).select_from(outbox)
                                            .where(outbox.c.last_error.is_not(None), outbox.c.sent_at.is_(None))):
                        window["noticed"] = time.monotonic() - window["from"]
            await asyncio.sleep(0.25)
        proxy.thaw()
        window["to"] = time.monotonic()

    freezing = asyncio.create_task(freezer())
    await steady_entries(system.client, token, [record(500_000 + i) for i in range(int(rate * seconds))], rate, log)
    await freezing
    statuses = Counter(r.status_code for _, _, r, _ in log)
    before = [s for sent, s, _, _ in log if sent < window["from"]]
    frozen = [s for sent, s, _, _ in log if window["from"] <= sent < window["to"]]

    tx_db, reports_db = service_db(system.env, "transactions"), service_db(system.env, "reports")
    try:
        result, drain = await until_reconciled(tx_db, reports_db, [enterprise["id"]], timeout=120)
    finally:
        await asyncio.gather(tx_db.dispose(), reports_db.dispose())
    report("broker_frozen", freeze_seconds=FREEZE_SECONDS, entries=len(log), entered_while_frozen=len(frozen),
           p99_before_ms=p99(before) * 1000, p99_while_frozen_ms=p99(frozen) * 1000,
           seconds_to_notice=window.get("noticed", -1.0), lost=result.lost, duplicates_applied=result.duplicates,
           drain_seconds_after_thaw=drain)
    assert statuses == Counter({201: len(log)}), statuses
    assert len(frozen) >= rate * FREEZE_SECONDS * 0.8, "entries went on while the broker was frozen"
    assert p99(frozen) < 2.0, "entry does not wait for the broker"
    assert "noticed" in window, "the relay noticed the unconfirmed publishes (outbox rows carry the error)"
    assert result.records == len(log) and result.lost == 0 and result.duplicates == 0 and result.matches


async def stored_ids(db, enterprise_id: str) -> set[str]:
    async with db.sessionmaker() as session:
        ids = await session.scalars(select(Transaction.id).where(Transaction.enterprise_id == enterprise_id))
        return {str(i) for i in ids}


@pytest.fixture
async def database_proxy(pg_url):
    parts = urlsplit(pg_url)
    proxy = await TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    yield proxy, urlunsplit(parts._replace(netloc=f"{userinfo}127.0.0.1:{proxy.port}"))
    await proxy.close()


async def test_database_cut_mid_entry_never_acknowledges_an_unstored_record(database_proxy, pg_url, amqp_url, s3,
                                                                             tmp_path_factory):
    proxy, proxied_url = database_proxy
    env = system_env(tmp_path_factory.mktemp("dbcut"), pg_url=proxied_url, amqp_url=amqp_url, s3=s3, **FAULT_ENV)
    direct_env = {**env, "AUTOCIRC_DATABASE_URL": pg_url}
    async with running_system(env) as system:
        enterprise, token = await confirmed_enterprise(system.client, residence=HANGZHOU_XIHU)
        rate, seconds = 40.0, 3.0 + DB_CUT_SECONDS + 4.0
        log: list = []
        window: dict = {}

        async def cutter() -> None:
            await asyncio.sleep(3.0)
            window["from"] = time.monotonic()
            await proxy.cut()
            await asyncio.sleep(DB_CUT_SECONDS)
            proxy.restore()
            window["to"] = time.monotonic()

        cutting = asyncio.create_task(cutter())
        await steady_entries(system.client, token, [record(600_000 + i) for i in range(int(rate * seconds))],
                             rate, log)
        await cutting
        statuses = Counter(r.status_code for _, _, r, _ in log)
        acknowledged = {r.json()["id"] for _, _, r, _ in log if r.status_code == 201}
        unavailable = [(r, body) for _, _, r, body in log if r.status_code == 503]
        tx_db, reports_db = service_db(direct_env, "transactions"), service_db(direct_env, "reports")
        try:
            stored = await stored_ids(tx_db, enterprise["id"])
            # the clerk repeats every entry that answered 503: stored now, or already stored by the commit
            # whose answer was lost (409 naming it), never twice
            retries = Counter()
            for _, body in unavailable:
                again = await system.client.post("/api/v1/transactions", json=body, headers=bearer(token))
                retries[again.status_code] += 1
                assert again.status_code == 201 or again.json()["code"] == "transactions.duplicate", again.text
            stored_after_retries = len(await stored_ids(tx_db, enterprise["id"]))
            result, drain = await until_reconciled(tx_db, reports_db, [enterprise["id"]], timeout=120)
        finally:
            await asyncio.gather(tx_db.dispose(), reports_db.dispose())
    acknowledged_unstored = len({str(i) for i in acknowledged} - stored)
    report("database_cut", cut_seconds=DB_CUT_SECONDS, requests=len(log), answered_201=statuses[201],
           answered_503=statuses[503], other=sum(n for s, n in statuses.items() if s not in (201, 503)),
           acknowledged_unstored=acknowledged_unstored,
           stored_without_201=len(stored - {str(i) for i in acknowledged}),
           retried_201=retries[201], retried_409=retries[409], lost=result.lost,
           duplicates_applied=result.duplicates, drain_seconds=drain)
    assert set(statuses) <= {201, 503}, statuses
    assert stored_after_retries == len(log), "after the retries every entry is stored exactly once"
    assert unavailable, "requests during the cut were answered 503"
    assert all(r.json()["code"] == "service.unavailable" and r.headers.get("Retry-After") for r, _ in unavailable)
    assert acknowledged_unstored == 0
    assert result.lost == 0 and result.duplicates == 0 and result.matches
