"""The distributed mode as ``make run-services`` starts it: one process per service, the
gateway in front, real RabbitMQ and PostgreSQL. Same service code as embedded; only the
configuration differs."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.api import admin_token, bearer, create_official, login, register
from tests.support.infra import free_port
from tests.support.system import delete_bus_objects, drop_databases, system_env


@pytest.fixture(scope="module")
async def services(pg_url, amqp_url, s3, tmp_path_factory):
    env = system_env(tmp_path_factory.mktemp("services"), pg_url=pg_url, amqp_url=amqp_url, s3=s3)
    port, base = free_port(), free_port()
    while any(p in range(base, base + 6) for p in (port,)) or base > 64000:
        base = free_port()
    env.update({"PORT": str(port), "AUTOCIRC_SERVICE_BASE_PORT": str(base)})
    proc = subprocess.Popen([sys.executable, "-m", "autocirc_gateway.launcher"], env={**os.environ, **env},
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            deadline = time.time() + 90
            while True:
                assert proc.poll() is None, "launcher exited"
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.time() < deadline, "services did not become ready"
                await asyncio.sleep(0.5)
            yield client, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        await drop_databases(pg_url, env["AUTOCIRC_DATABASE_PREFIX"])
        await delete_bus_objects(amqp_url, env["AUTOCIRC_BUS_NAMESPACE"])


async def test_separate_processes_serve_the_identity_story(services):
    client, _ = services
    readiness = (await client.get("/readyz")).json()
    assert set(readiness["services"]) == {"identity", "filing", "catalog", "transactions", "reports", "media-sync"}
    doc = (await client.get("/openapi.json")).json()
    assert "/api/v1/auth/login" in doc["paths"]
    created = await register(client)
    token = await login(client, created["uscc"])
    me = await client.get("/api/v1/me", headers={**bearer(token), "X-Request-ID": "e2e-trace-1"})
    assert me.status_code == 200 and me.headers["X-Request-ID"] == "e2e-trace-1"
    admin = await admin_token(client)
    official = await create_official(client, admin, level="province", region_code="110000")
    await login(client, official["username"])
    bad = await client.post("/api/v1/enterprises", json={**created, "uscc": "91350100M000100Y44"})
    assert bad.status_code == 422 and bad.json()["code"] == "uscc.checksum"


def _child_running(parent: int, needle: str) -> int:
    """The pid of ``parent``'s child whose command line holds ``needle`` (read from /proc: ``ps``
    truncates command lines to ``$COLUMNS``, which CI sets)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                args = cmdline.read().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and needle in args:
            return int(entry)
    raise AssertionError(f"no child of {parent} runs {needle}")


async def test_a_frozen_service_makes_the_gateway_not_ready(services):
    client, launcher = services
    reports_pid = _child_running(launcher.pid, "autocirc_reports.main")
    os.kill(reports_pid, signal.SIGSTOP)
    try:
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["not_ready"] == ["reports"]
    finally:
        os.kill(reports_pid, signal.SIGCONT)
    assert (await client.get("/readyz")).status_code == 200
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
