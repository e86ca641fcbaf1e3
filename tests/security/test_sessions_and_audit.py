"""Issue 16: a reset or change ends the sessions, a temporary password opens only the password change, a revoked
review right confirms nothing once the PATCH answered, and the audit trail — each on PostgreSQL + RabbitMQ and
embedded (SQLite, in-process bus)."""
from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import text

from tests.support.api import admin_token, bearer, create_official, login, make_uscc
from tests.support.flows import confirmed_enterprise, submitted_enterprise, transaction_body
from tests.support.waiting import eventually

from .conftest import TIBET, figure

# one authenticated read per service: the answer before the reset is whatever the role allows (200 or 403)
EVERY_SERVICE = {
    "identity": "/api/v1/me",
    "filing": "/api/v1/filing",
    "catalog": "/api/v1/catalog/brands",
    "transactions": "/api/v1/transactions",
    "reports": "/api/v1/reports/used-car-monthly",
    "media-sync": "/api/v1/media-sync/deliveries",
}
NEW_PASSWORD = "NewPassw0rd9"


async def _answers(client, token: str) -> dict[str, tuple[int, str | None]]:
    async def one(path):
        response = await client.get(path, headers=bearer(token))
        code = response.json().get("code") if response.status_code >= 400 else None
        return response.status_code, code

    return dict(zip(EVERY_SERVICE, await asyncio.gather(*map(one, EVERY_SERVICE.values())), strict=True))


async def _refused_everywhere_within(client, token: str) -> float:
    """Seconds from now until every service answers 401 auth.stale to ``token`` (identity at once)."""
    started = time.monotonic()
    first = await _answers(client, token)
    assert first["identity"] == (401, "auth.stale"), "identity refuses at once"
    while True:
        answers = await _answers(client, token)
        if all(answer == (401, "auth.stale") for answer in answers.values()):
            return time.monotonic() - started
        assert time.monotonic() - started < 5, answers
        await asyncio.sleep(0.02)


async def _starter_catalog_projected(system) -> bool:
    """filing holds every approved model catalog has: the start-up catalogue's events are behind us. (A queue is
    applied in order, so a token revocation waits behind a backlog: the figure is for a settled system.)"""
    from autocirc_catalog.models.tables import CarModel
    from autocirc_filing.models.catalog_projection import ProjectedModel
    from sqlalchemy import func, select

    async with system.runtime("catalog").uow() as uow:
        wanted = await uow.session.scalar(select(func.count()).where(CarModel.status == "approved"))
    async with system.runtime("filing").uow() as uow:
        return await uow.session.scalar(select(func.count()).select_from(ProjectedModel)) >= wanted


async def test_a_token_older_than_a_reset_or_change_is_refused_by_every_service(any_system):
    client = any_system.client
    await eventually(lambda: _starter_catalog_projected(any_system), timeout=60)
    enterprise, old_token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    before = await _answers(client, old_token)
    assert all(status in (200, 403) for status, _ in before.values()), before
    official = await create_official(client, await admin_token(client), level="district", region_code="540102")
    reset = await client.post(f"/api/v1/enterprises/{enterprise['id']}/password-reset",
                              headers=bearer(await login(client, official["username"])))
    assert reset.status_code == 200, reset.text
    after_reset = await _refused_everywhere_within(client, old_token)
    stale = await client.put("/api/v1/filing", headers=bearer(old_token), json={"data": {}})
    assert stale.status_code == 401 and stale.json()["code"] == "auth.stale" and not stale.json()["detail"].isascii()

    # the temporary password's token opens only the password change and /me
    temporary = await login(client, enterprise["username"], reset.json()["temporary_password"])
    me = await client.get("/api/v1/me", headers=bearer(temporary))
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    for method, path, body in (("GET", "/api/v1/filing", None), ("PUT", "/api/v1/filing", {"data": {}}),
                               ("GET", "/api/v1/transactions", None),
                               ("POST", "/api/v1/transactions", transaction_body()),
                               ("GET", "/api/v1/reports/used-car-monthly", None),
                               ("GET", "/api/v1/catalog/brands", None)):
        response = await client.request(method, path, headers=bearer(temporary), json=body)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["code"] == "auth.password_change_required" and not response.json()["detail"].isascii()
    assert (await client.get("/api/v1/transactions", headers=bearer(
        await login(client, enterprise["username"], reset.json()["temporary_password"])))).status_code == 403
    changed = await client.post("/api/v1/me/password", headers=bearer(temporary),
                                json={"old_password": reset.json()["temporary_password"], "new_password": NEW_PASSWORD})
    assert changed.status_code == 204, changed.text
    again = await client.post("/api/v1/me/password", headers=bearer(temporary),
                              json={"old_password": NEW_PASSWORD, "new_password": "Another0ne9"})
    assert again.status_code == 401 and again.json()["code"] == "auth.stale", "the temporary token cannot change it again"

    # a change by the owner ends the sessions opened before it, too
    fresh = await login(client, enterprise["username"], NEW_PASSWORD)
    assert (await client.get("/api/v1/transactions", headers=bearer(fresh))).status_code == 200
    changed = await client.post("/api/v1/me/password", headers=bearer(fresh),
                                json={"old_password": NEW_PASSWORD, "new_password": "Another0ne9"})
    assert changed.status_code == 204, changed.text
    after_change = await _refused_everywhere_within(client, fresh)
    newest = await login(client, enterprise["username"], "Another0ne9")
    assert all(status in (200, 403) for status, _ in (await _answers(client, newest)).values())
    label = _label(any_system)
    figure(f"stale_token_refused_everywhere_after_reset_s[{label}]", round(after_reset, 3))
    figure(f"stale_token_refused_everywhere_after_change_s[{label}]", round(after_change, 3))
    assert after_reset < 1.0 and after_change < 1.0


async def test_a_revoked_review_right_confirms_nothing_after_the_patch(any_system):
    client = any_system.client
    admin = await admin_token(client)
    (first, _), (second, _) = await asyncio.gather(
        submitted_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102")),
        submitted_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102")))
    reviewer = await create_official(client, admin, level="district", region_code="540102", can_review=True)
    token = await login(client, reviewer["username"])

    async def confirm_first():  # 404 until filing has learnt of the enterprise
        response = await client.post(f"/api/v1/filings/{first['id']}/confirm", headers=bearer(token))
        assert response.status_code in (200, 404), response.text
        return response.status_code == 200

    await eventually(confirm_first, timeout=30)
    await eventually(lambda: _known(client, token, second["id"]), timeout=30)

    started = time.monotonic()
    revoked = await client.patch(f"/api/v1/officials/{reviewer['id']}", headers=bearer(admin),
                                 json={"can_review": False})
    patch_seconds = time.monotonic() - started
    assert revoked.status_code == 200 and revoked.json()["in_force"] is True, revoked.text
    burst = await asyncio.gather(*(client.post(f"/api/v1/filings/{second['id']}/confirm", headers=bearer(token))
                                   for _ in range(20)))
    confirmations = sum(r.status_code == 200 for r in burst)
    assert {r.status_code for r in burst} == {403}, [r.text for r in burst]
    assert burst[0].json()["code"] == "filing.review_forbidden"
    detail = (await client.get(f"/api/v1/filings/{second['id']}", headers=bearer(token))).json()
    assert detail["status"] == "submitted"

    # granted again: the same (older) token confirms as soon as the PATCH answered
    granted = await client.patch(f"/api/v1/officials/{reviewer['id']}", headers=bearer(admin), json={"can_review": True})
    assert granted.status_code == 200, granted.text
    assert (await client.post(f"/api/v1/filings/{second['id']}/confirm", headers=bearer(token))).status_code == 200
    label = _label(any_system)
    figure(f"confirmations_after_revoking_patch_200[{label}]", confirmations)
    figure(f"revoking_patch_waits_for_filing_s[{label}]", round(patch_seconds, 3))


async def _known(client, token: str, enterprise_id: str) -> bool:
    return (await client.get(f"/api/v1/filings/{enterprise_id}", headers=bearer(token))).status_code == 200


def _label(system) -> str:
    return "embedded" if system.runtime("identity").db.dialect == "sqlite" else "system"


async def _audit(client, token: str, **params) -> dict:
    response = await client.get("/api/v1/audit", headers=bearer(token), params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_audit_trail_records_each_act_once_for_the_admin_and_the_region(any_system):
    client = any_system.client
    admin = await admin_token(client)
    enterprise, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    district = await create_official(client, admin, level="district", region_code="540102", can_review=True)
    elsewhere = await create_official(client, admin, level="district", region_code="650102")
    district_token = await login(client, district["username"])
    entered = await client.post("/api/v1/transactions", headers=bearer(token), json=transaction_body())
    assert entered.status_code == 201, entered.text

    async def entry_visible():
        return (await client.get("/api/v1/transactions", headers=bearer(district_token))).json()["total"] >= 1

    await eventually(entry_visible, timeout=15)
    exported = await client.get("/api/v1/transactions/export.xlsx", headers=bearer(district_token),
                                params={"buyer_name": "李四"})
    assert exported.status_code == 200, exported.text
    statistics = await client.get("/api/v1/statistics/used-car-monthly/export.xlsx", headers=bearer(district_token),
                                  params={"period": "2024-03"})
    assert statistics.status_code == 200, statistics.text
    reset = await client.post(f"/api/v1/enterprises/{enterprise['id']}/password-reset", headers=bearer(district_token))
    assert reset.status_code == 200
    revoked = await client.patch(f"/api/v1/officials/{district['id']}", headers=bearer(admin), json={"can_review": False})
    assert revoked.status_code == 200

    wanted = {"official.create", "filing.confirm", "transactions.export", "statistics.export", "password.reset",
              "review_right.revoke"}

    async def all_recorded():
        page = await _audit(client, admin, page_size=200)
        mine = [e for e in page["items"] if e["subject"] in (f"enterprise:{enterprise['id']}",
                                                             f"official:{district['id']}")
                or e["actor_name"] == district["username"]]
        return mine if wanted <= {e["action"] for e in mine} else None

    mine = await eventually(all_recorded, timeout=15)
    by_action = {e["action"]: e for e in mine}
    assert by_action["password.reset"]["actor_name"] == district["username"]
    assert by_action["password.reset"]["region_code"] == "540102" and by_action["password.reset"]["action_name"]
    assert by_action["transactions.export"]["details"]["filters"] == ["buyer_name"], "filter names, never values"
    assert "李四" not in str(mine) and enterprise["filler_mobile"] not in str(mine)
    assert sum(e["action"] == "password.reset" for e in mine) == 1, "recorded once, not once per delivery"
    services = {e["action"]: e["service"] for e in mine}
    assert services["filing.confirm"] == "filing" and services["statistics.export"] == "reports"

    # filters; the region's official sees its region, another region's official nothing of it; enterprises nothing
    only = await _audit(client, admin, actor=district["username"], action="password.reset")
    assert only["total"] == 1 and only["items"][0]["subject"] == f"enterprise:{enterprise['id']}"
    today = by_action["password.reset"]["at"][:10]
    assert (await _audit(client, admin, actor=district["username"], **{"from": "2000-01-01", "to": "2000-01-02"}))[
        "total"] == 0
    assert (await _audit(client, admin, actor=district["username"], **{"from": today}))["total"] >= 3
    theirs = await _audit(client, await login(client, elsewhere["username"]), actor=district["username"])
    assert theirs["total"] == 0
    own_region = await _audit(client, district_token, action="password.reset")
    assert {e["region_code"] for e in own_region["items"]} == {"540102"} and own_region["total"] >= 1
    assert (await client.get("/api/v1/audit", headers=bearer(await login(client, enterprise["username"],
                                                                        reset.json()["temporary_password"])))
            ).status_code == 403
    backwards = await client.get("/api/v1/audit", headers=bearer(admin), params={"from": "2026-02-02", "to": "2026-02-01"})
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "from"

    # append-only on both databases
    for service in ("identity", "filing"):
        async with any_system.runtime(service).db.engine.connect() as conn:
            for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
                with pytest.raises(Exception, match="append-only"):
                    await conn.execute(text(statement))
                await conn.rollback()
    figure(f"audit_actions_recorded[{_label(any_system)}]", len(wanted))
