"""The services behind PgBouncer in transaction pooling, as deploy/compose.yaml and deploy/k8s/pgbouncer.yaml run them
(``AUTOCIRC_DATABASE_PGBOUNCER=true``, migrations straight to PostgreSQL): entries, a duplicate's 409 and reading
them back all work while a handful of server connections serve every client connection.

PgBouncer may run the statements of one client connection on different server connections between transactions,
so a statement prepared outside a transaction can be missing where it executes; the self-committing sessions the
single entry uses elsewhere are therefore not used behind it (``Database.autocommit_sessionmaker`` is None)."""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import literal, select
from sqlalchemy.engine import make_url

from tests.integration.test_transactions_excel import record
from tests.support.api import bearer
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import enter_many, service_db, until_reconciled
from tests.support.system import running_system, system_env

PGBOUNCER = "/usr/sbin/pgbouncer"  # make test installs it (pgbouncer-deps)
SERVER_CONNECTIONS = 3  # per database: far fewer than the services' pooled client connections


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer(pg_url):
    server = make_url(pg_url)
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="autocirc-pgbouncer-"))
    (folder / "users.txt").write_text(f'"{server.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(f"""[databases]
* = host={server.host} port={server.port or 5432}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
pool_mode = transaction
default_pool_size = {SERVER_CONNECTIONS}
max_client_conn = 500
""")
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []  # PgBouncer refuses to run as root
    if as_user:
        shutil.chown(folder, "postgres")
        for path in folder.iterdir():
            shutil.chown(path, "postgres")
    process = subprocess.Popen([PGBOUNCER, *as_user, str(folder / "pgbouncer.ini")], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                time.sleep(0.1)
        yield server.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


async def test_entries_through_pgbouncer_in_transaction_pooling(pgbouncer, pg_url, amqp_url, tmp_path):
    env = system_env(tmp_path, pg_url=pgbouncer, amqp_url=amqp_url, AUTOCIRC_DATABASE_DIRECT_URL=pg_url,
                     AUTOCIRC_DATABASE_PGBOUNCER="true")
    async with running_system(env) as system:
        transactions = system.runtime("transactions")
        assert transactions.db.autocommit_sessionmaker is None  # behind PgBouncer: ordinary transactions

        async def reads(worker: int) -> list[int]:  # what a self-committing unit of work runs, many at once
            values = []
            for n in range(30):
                async with transactions.uow(autocommit=True) as uow:
                    values.append(await uow.session.scalar(select(literal(worker * 100 + n) + 1)))
            return values

        answers = await asyncio.gather(*(reads(w) for w in range(16)))  # (484 of 960 failed before)
        assert answers == [[w * 100 + n + 1 for n in range(30)] for w in range(16)]
        enterprise, token = await confirmed_enterprise(system.client)
        statuses: Counter = Counter()
        problems: list = []
        ids, _ = await enter_many(system.client, token, [record(i, prefix="LPGBNCR2") for i in range(120)],
                                  concurrency=12, statuses=statuses, problems=problems)
        assert statuses == Counter({201: 120}), problems[:3]
        again = await system.client.post("/api/v1/transactions", json=record(7, prefix="LPGBNCR2"),
                                         headers=bearer(token))
        assert again.status_code == 409 and again.json()["code"] == "transactions.duplicate"
        assert again.json()["existing_id"] in ids
        listed = await system.client.get("/api/v1/transactions", params={"page_size": 200}, headers=bearer(token))
        assert listed.status_code == 200 and listed.json()["total"] == 120
        one = await system.client.get(f"/api/v1/transactions/{ids[0]}", headers=bearer(token))
        assert one.status_code == 200 and one.json()["id"] == ids[0]
        tx_db, reports_db = service_db(system.env, "transactions"), service_db(system.env, "reports")
        try:  # the relay and reports' consumer work through PgBouncer too: every record summed, none twice
            result, _ = await until_reconciled(tx_db, reports_db, [enterprise["id"]], timeout=60)
        finally:
            await tx_db.dispose()
            await reports_db.dispose()
        assert result.matches and result.records == 120 and result.lost == 0 and result.duplicates == 0
