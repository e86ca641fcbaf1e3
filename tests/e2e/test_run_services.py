"""The distributed mode as ``make run-services`` starts it: one process per service, the
gateway in front, real RabbitMQ and PostgreSQL. Same service code as embedded; only the
configuration differs."""
from __future__ import annotations

import os
import signal
import time

from tests.support.api import admin_token, bearer, create_official, login, register
from tests.support.figures import report
from tests.support.processes import child_running
from tests.support.waiting import eventually


async def test_separate_processes_serve_the_identity_story(services):
    client, _ = services
    readiness = (await client.get("/readyz")).json()
    assert set(readiness["services"]) == {"identity", "filing", "catalog", "transactions", "reports", "media-sync",
                                        "portal"}
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


async def test_a_frozen_service_makes_the_gateway_not_ready(services):
    client, launcher = services
    reports_pid = child_running(launcher.pid, "autocirc_reports.main")
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


async def test_a_killed_service_is_restarted_and_the_others_keep_serving(launched, services):
    """RELIABILITY scenario 23: SIGKILL one service; the launcher logs it and starts it again after a back-off,
    the other services never stop."""
    client, launcher = services
    victim = child_running(launcher.pid, "autocirc_catalog.main")
    bystander = child_running(launcher.pid, "autocirc_identity.main")
    started = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    meanwhile = await client.get("/api/v1/regions")  # another service's request
    assert meanwhile.status_code == 200, meanwhile.text

    async def back():
        try:
            pid = child_running(launcher.pid, "autocirc_catalog.main")
        except AssertionError:
            return None
        ready = await client.get("/readyz")
        return pid if pid != victim and ready.status_code == 200 else None

    restarted = await eventually(back, timeout=60, interval=0.2)
    outage = time.monotonic() - started
    token = await admin_token(client)
    assert (await client.get("/api/v1/catalog/brands", headers=bearer(token))).status_code == 200
    assert child_running(launcher.pid, "autocirc_identity.main") == bystander
    log = launched.log_path.read_text()
    assert f"catalog (pid {victim}) exited with -9" in log and f"catalog restarted (pid {restarted})" in log, log
    report("23. run-services: catalog SIGKILLed", back_after_s=outage, other_services_restarted=0)


async def test_api_keys_public_check_and_vehicle_history_across_processes(services):
    """The gateway exchanges an API key with identity over HTTP; the public check and the vehicle
    history are routed to filing and transactions."""
    client, _ = services
    created = await register(client)
    token = await login(client, created["uscc"])
    key = await client.post("/api/v1/api-keys", json={"name": "对接"}, headers=bearer(token))
    assert key.status_code == 201, key.text
    machine = bearer(key.json()["key"])
    listed = await client.get("/api/v1/transactions", headers=machine)
    assert listed.status_code == 200 and listed.json()["total"] == 0
    assert (await client.get("/api/v1/me", headers=machine)).json()["code"] == "api_key.forbidden"
    assert (await client.delete(f"/api/v1/api-keys/{key.json()['id']}", headers=bearer(token))).status_code == 204
    assert (await client.get("/api/v1/transactions", headers=machine)).status_code == 401
    public = await client.get(f"/api/v1/public/filings/{created['uscc']}")
    assert public.status_code == 200 and public.json()["status"] == "not_filed"
    admin = await admin_token(client)
    official = await login(client, (await create_official(client, admin, level="national",
                                                          region_code="000000"))["username"])
    unknown = await client.get("/api/v1/vehicles/LSVAB2BM0HN000001/history", headers=bearer(official))
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
