"""A transactions process killed (SIGKILL) mid-import, twice, and started again: the import finishes or
fails whole, never half. A watcher counts the job's rows in transactions' database all along: it only
ever sees 0 or all of them.

Kill 1 lands while the rows are being checked, kill 2 while they are being stored (one database
transaction, so the kill rolls it back). On PostgreSQL the rows are copied in as they are checked, in the
transaction that ends the job: kill 2 lands past the file's first third, once that transaction is seen open with
rows written (``backend_xid`` set in ``pg_stat_activity``). The restarted process takes the job over once its
lease runs out (AUTOCIRC_IMPORT_LEASE_SECONDS, 2 s here) and runs it from the start."""
from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from autocirc_transactions.models.imports import ImportJob
from autocirc_transactions.models.transactions import Transaction
from sqlalchemy import func, select, text

from tests.integration.test_transactions_excel import finished, record, upload, workbook
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import service_db
from tests.support.processes import separate_services

ROWS = 12_000


@pytest.fixture(scope="module")
async def processes(pg_url, amqp_url, s3, tmp_path_factory):
    async with separate_services(tmp_path_factory.mktemp("import-kill"), pg_url, amqp_url, s3,
                                 ("identity", "filing", "transactions"),
                                 AUTOCIRC_IMPORT_LEASE_SECONDS="2", AUTOCIRC_IMPORT_POLL_SECONDS="0.2",
                                 AUTOCIRC_DATABASE_POOL_SIZE="3") as running:
        yield running


async def test_import_killed_twice_and_restarted_is_stored_whole_or_not_at_all(processes):
    data = await asyncio.to_thread(workbook, [record(i) for i in range(ROWS)])
    tx_db = service_db(processes.env, "transactions")
    seen: set[int] = set()
    async with httpx.AsyncClient(base_url=processes.url, timeout=60) as client:
        enterprise, token = await confirmed_enterprise(client)

        async def stored() -> int:
            async with tx_db.sessionmaker() as session:
                return await session.scalar(select(func.count()).select_from(Transaction).where(
                    Transaction.enterprise_id == enterprise["id"], Transaction.source == "import"))

        async def job_row(job_id: str) -> ImportJob:
            async with tx_db.sessionmaker() as session:
                return await session.get(ImportJob, job_id)

        async def watch() -> None:
            while True:
                seen.add(await stored())
                await asyncio.sleep(0.02)

        async def writing() -> bool:
            """Whether a transaction that has written rows is open on transactions' database: the import's store
            (progress updates are short transactions of their own)."""
            async with tx_db.sessionmaker() as session:
                return bool(await session.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")))

        async def kill_when(job_id: str, phase: str, rows: int = 1, *, storing: bool = False) -> str:
            """Kills transactions once the job is in ``phase`` (validating: with ``rows`` checked; ``storing``:
            and its rows being written); the phase it was killed in, "storing" while its rows were written."""
            deadline = time.monotonic() + 120
            while ((job := await job_row(job_id)).phase != phase or (phase == "validating" and job.processed_rows < rows)
                   or (storing and not await writing())):
                assert job.status not in ("succeeded", "failed"), f"the job ended ({job.status}) before the kill"
                assert time.monotonic() < deadline, f"the job never reached {phase}"
                await asyncio.sleep(0.02)
            processes.procs["transactions"].kill()
            return "storing" if storing else (await job_row(job_id)).phase

        watcher = asyncio.create_task(watch())
        try:
            accepted = await upload(client, token, data)
            assert accepted.status_code == 202, accepted.text
            job_id = accepted.json()["job_id"]
            killed_in = [await kill_when(job_id, "validating")]
            after_kills = [await stored()]
            await processes.restart("transactions")
            killed_in.append(await kill_when(job_id, "validating", ROWS // 3, storing=True))
            after_kills.append(await stored())
            restarted = time.monotonic()
            await processes.restart("transactions")
            job = await finished(client, token, job_id, timeout=180)
            finish_seconds = time.monotonic() - restarted
            final = await stored()
            attempts = (await job_row(job_id)).attempts
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
            await tx_db.dispose()
    report("import_killed", rows=ROWS, kills=2, killed_in="+".join(killed_in),
           rows_after_kills="+".join(map(str, after_kills)), counts_seen="|".join(map(str, sorted(seen))),
           final_status=job["status"], stored=final, attempts=attempts, finish_seconds=finish_seconds)
    assert killed_in == ["validating", "storing"]
    assert after_kills == [0, 0], "a killed import leaves nothing behind"
    assert seen <= {0, ROWS}, f"half an import was visible: {sorted(seen)}"
    assert job["status"] == "succeeded" and job["imported"] == ROWS and final == ROWS
    assert attempts == 3
