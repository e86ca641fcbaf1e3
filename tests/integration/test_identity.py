"""identity through the gateway, on real PostgreSQL and RabbitMQ (the ``system`` fixture)."""
from __future__ import annotations

import asyncio
import base64
import json
import statistics
import time

import aio_pika
import jwt
import pytest
from autocirc_filing.models.filings import EnterpriseView
from autocirc_identity.models import Account, Enterprise
from autocirc_shared.auth.tokens import ALGORITHM, AUDIENCE, ISSUER
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from tests.support.api import (
    HANGZHOU_XIHU,
    PASSWORD,
    admin_token,
    bearer,
    create_official,
    login,
    make_uscc,
    register,
    registration,
)
from tests.support.waiting import eventually

DONGGUAN = {"province_code": "440000", "city_code": "441900", "district_code": "", "street": "南城街道鸿福路1号"}


async def test_new_user_gets_captcha_registers_logs_in_and_reads_me(system):
    client = system.client
    captcha = (await client.get("/api/v1/captcha")).json()
    assert captcha["image"].startswith("data:image/png;base64,")
    assert base64.b64decode(captcha["image"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    created = await register(client, types=["used_car_dealer", "used_car_market"])
    assert created["username"] == created["uscc"]
    login_response = await client.post("/api/v1/auth/login", json={"username": created["uscc"], "password": PASSWORD})
    assert login_response.status_code == 200
    body = login_response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    assert body["account"]["kind"] == "enterprise"
    assert sorted(body["account"]["types"]) == ["used_car_dealer", "used_car_market"]
    me = (await client.get("/api/v1/me", headers=bearer(body["access_token"]))).json()
    assert me["enterprise"]["name"] == created["name"]
    assert me["enterprise"]["residence_name"].startswith("北京市东城区")
    assert me["region_code"] == "110101"
    assert "X-Request-ID" in login_response.headers


async def test_login_by_licence_number_when_there_is_no_uscc(system):
    created = await register(system.client, has_uscc=False, uscc=None, business_licence_no="110108012345678")
    assert created["username"] == "110108012345678"
    await login(system.client, "110108012345678")


@pytest.mark.parametrize("overrides,code,field", [
    ({"uscc": "91350100M000100Y44"}, "uscc.checksum", "uscc"),
    ({"uscc": "91350100M000100Y4"}, "uscc.format", "uscc"),
    ({"password": "short1A", "password_confirm": "short1A"}, "password.weak", "password"),
    ({"password": "alllowercase1", "password_confirm": "alllowercase1"}, "password.weak", "password"),
    ({"password_confirm": "Different1x"}, "password.mismatch", "password_confirm"),
    ({"filler_mobile": "1380013800"}, "mobile.format", "filler_mobile"),
    ({"residence": {"province_code": "110000", "city_code": "110100", "district_code": "330106", "street": "x"}},
     "region.unknown", "residence"),
    ({"types": []}, "types.empty", "types"),
    ({"org_code": "D2143569-1"}, "org_code.checksum", "org_code"),
])
async def test_bad_registration_answers_422_with_code_and_stores_nothing(system, overrides, code, field):
    body = registration(**overrides)
    response = await system.client.post("/api/v1/enterprises", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert any(e["field"] == field and e["code"] == code for e in problem["errors"])
    assert all(not e["message"].isascii() for e in problem["errors"]), "messages are Chinese"
    async with system.runtime("identity").db.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.name == body["name"])) == 0


async def test_every_problem_is_listed_at_once(system):
    body = registration(uscc="91350100M000100Y44", filler_mobile="123", types=[])
    problem = (await system.client.post("/api/v1/enterprises", json=body)).json()
    assert [e["code"] for e in problem["errors"]] == ["uscc.checksum", "types.empty", "mobile.format"]


async def test_unknown_type_and_missing_fields_are_422_not_500(system):
    response = await system.client.post("/api/v1/enterprises", json={"name": "x", "types": ["spaceship"]})
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} >= {"field.required", "field.choice"}
    response = await system.client.post("/api/v1/enterprises", content=b"{not json",
                                        headers={"content-type": "application/json"})
    assert response.status_code == 422


async def test_uscc_taken_is_409(system):
    first = await register(system.client)
    response = await system.client.post("/api/v1/enterprises", json=registration(uscc=first["uscc"]))
    assert response.status_code == 409
    assert response.json()["code"] == "uscc.taken"


async def test_name_uscc_and_types_never_change(system):
    created = await register(system.client)
    token = await login(system.client, created["uscc"])
    url = f"/api/v1/enterprises/{created['id']}"
    for change in ({"name": "改名公司"}, {"uscc": make_uscc()}, {"types": ["oem"]}):
        response = await system.client.patch(url, json=change, headers=bearer(token))
        assert response.status_code == 409 and response.json()["code"] == "enterprise.immutable"
    ok = await system.client.patch(url, json={"filler_name": "李四", "filler_mobile": "13912345678"},
                                   headers=bearer(token))
    assert ok.status_code == 200 and ok.json()["filler_name"] == "李四"
    other = await register(system.client)
    assert (await system.client.patch(f"/api/v1/enterprises/{other['id']}", json={"filler_name": "x"},
                                      headers=bearer(token))).status_code == 404


async def test_sixth_wrong_password_in_window_is_429_and_unknown_users_look_the_same(system):
    created = await register(system.client)
    wrong = {"username": created["uscc"], "password": "Wrong1234x"}
    for _ in range(5):
        response = await system.client.post("/api/v1/auth/login", json=wrong)
        assert response.status_code == 401 and response.json()["code"] == "auth.failed"
    locked = await system.client.post("/api/v1/auth/login", json=wrong)
    assert locked.status_code == 429 and locked.json()["code"] == "auth.locked"
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    right = await system.client.post("/api/v1/auth/login", json={"username": created["uscc"], "password": PASSWORD})
    assert right.status_code == 429, "locked even with the right password"
    unknown = await system.client.post("/api/v1/auth/login", json={"username": make_uscc(), "password": "Wrong1234x"})
    assert unknown.status_code == 401 and unknown.json() == response.json()


async def test_login_timing_does_not_reveal_unknown_users(system):
    created = await register(system.client)

    async def timed(username: str) -> float:
        t0 = time.perf_counter()
        await system.client.post("/api/v1/auth/login", json={"username": username, "password": "Nope12345x"})
        return time.perf_counter() - t0

    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for _ in range(4):  # interleaved (under the lock-out), so load from elsewhere on the machine hits both alike
        times["known"].append(await timed(created["uscc"]))
        times["unknown"].append(await timed(make_uscc()))
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    assert unknown > known * 0.5, (known, unknown)  # both spend one argon2 verification


async def test_officials_review_rights_and_region_scope(system):
    client = system.client
    admin = await admin_token(client)
    zj = await create_official(client, admin, level="province", region_code="330000")
    js = await create_official(client, admin, level="province", region_code="320000")
    zj_token = await login(client, zj["username"])
    hz = await create_official(client, zj_token, level="city", region_code="330100")
    hz_token = await login(client, hz["username"])
    assert hz["can_review"] is False
    # a province official may not create officials outside its province, nor at its own level
    for level, code in (("city", "320100"), ("province", "330000")):
        response = await client.post("/api/v1/officials", headers=bearer(zj_token), json={
            "username": f"x{time.time_ns()}", "password": PASSWORD, "name": "x", "level": level, "region_code": code})
        assert response.status_code == 403
    bad_level = await client.post("/api/v1/officials", headers=bearer(admin), json={
        "username": f"x{time.time_ns()}", "password": PASSWORD, "name": "x", "level": "city", "region_code": "330106"})
    assert bad_level.status_code == 422 and bad_level.json()["code"] == "region.level"
    # only the province official above (or the admin) grants can_review
    js_token = await login(client, js["username"])
    assert (await client.patch(f"/api/v1/officials/{hz['id']}", json={"can_review": True},
                               headers=bearer(js_token))).status_code == 403
    assert (await client.patch(f"/api/v1/officials/{hz['id']}", json={"can_review": True},
                               headers=bearer(hz_token))).status_code == 403
    granted = await client.patch(f"/api/v1/officials/{hz['id']}", json={"can_review": True}, headers=bearer(zj_token))
    assert granted.status_code == 200 and granted.json()["can_review"] is True
    relogin = await client.post("/api/v1/auth/login", json={"username": hz["username"], "password": PASSWORD})
    assert relogin.json()["account"]["can_review"] is True
    assert relogin.json()["account"]["level"] == "city"
    # an enterprise may do none of it
    enterprise = await register(client, residence=dict(HANGZHOU_XIHU), uscc=make_uscc("330106"))
    e_token = await login(client, enterprise["uscc"])
    assert (await client.patch(f"/api/v1/officials/{hz['id']}", json={"can_review": False},
                               headers=bearer(e_token))).status_code == 403
    listed = (await client.get("/api/v1/officials", headers=bearer(zj_token))).json()
    assert {o["username"] for o in listed["items"]} >= {hz["username"]}
    assert js["username"] not in {o["username"] for o in listed["items"]}


async def test_password_reset_by_official_of_the_region(system):
    client = system.client
    admin = await admin_token(client)
    enterprise = await register(client, residence=dict(HANGZHOU_XIHU), uscc=make_uscc("330106"))
    inside = await create_official(client, admin, level="district", region_code="330106")
    outside = await create_official(client, admin, level="province", region_code="110000")
    url = f"/api/v1/enterprises/{enterprise['id']}/password-reset"
    denied = await client.post(url, headers=bearer(await login(client, outside["username"])))
    assert denied.status_code == 403
    response = await client.post(url, headers=bearer(await login(client, inside["username"])))
    assert response.status_code == 200
    temporary = response.json()["temporary_password"]
    old = await client.post("/api/v1/auth/login", json={"username": enterprise["uscc"], "password": PASSWORD})
    assert old.status_code == 401, "the old password stops working at once"
    token = await login(client, enterprise["uscc"], temporary)
    me = (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["must_change_password"] is True
    changed = await client.post("/api/v1/me/password", headers=bearer(token),
                                json={"old_password": temporary, "new_password": "NewPassw0rd"})
    assert changed.status_code == 204
    await login(client, enterprise["uscc"], "NewPassw0rd")


async def test_bad_tokens_are_refused_by_gateway_and_service(system):
    client = system.client
    created = await register(client)
    token = await login(client, created["uscc"])
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    tampered_claims = base64.urlsafe_b64encode(
        json.dumps({**claims, "kind": "admin"}).encode()).rstrip(b"=").decode()
    other_key = jwt.encode({**claims, "exp": int(time.time()) + 600}, Ed25519PrivateKey.generate(), algorithm=ALGORITHM)
    own_key = system.runtime("identity").app.state.token_issuer._key
    expired = jwt.encode({**claims, "iat": 1, "nbf": 1, "exp": 2, "iss": ISSUER, "aud": AUDIENCE}, own_key,
                         algorithm=ALGORITHM)
    for bad in (f"{header}.{tampered_claims}.{signature}", other_key, expired, "garbage"):
        response = await client.get("/api/v1/me", headers=bearer(bad))
        assert response.status_code == 401, bad
        assert response.json()["code"] == "auth.invalid_token"
        direct = await _direct(system, "identity", "/api/v1/me", bad)
        assert direct == 401, "the service checks tokens itself too"
    assert (await client.get("/api/v1/me")).status_code == 401


async def _direct(system, service: str, path: str, token: str) -> int:
    import httpx

    transport = httpx.ASGITransport(app=system.runtime(service).app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as c:
        return (await c.get(path, headers=bearer(token))).status_code


async def test_registration_publishes_enterprise_registered_on_rabbitmq(system):
    url = system.env["AUTOCIRC_AMQP_URL"]
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(f"{system.env['AUTOCIRC_BUS_NAMESPACE']}.events", "identity.enterprise_registered.v1")
        created = await register(system.client)
        deadline = time.time() + 15
        while time.time() < deadline:
            message = await queue.get(fail=False, no_ack=True)
            if message is None:
                await asyncio.sleep(0.1)
                continue
            envelope = json.loads(message.body)
            if envelope["payload"]["enterprise_id"] == created["id"]:
                assert envelope["name"] == "identity.enterprise_registered.v1"
                assert envelope["producer"] == "identity"
                assert envelope["correlation_id"]
                assert envelope["payload"]["region_code"] == "110101"
                return
        raise AssertionError("event not published")


async def test_enterprise_in_a_city_without_districts_belongs_to_that_city(system):
    """东莞 (441900) has no districts: the enterprise's region is the city, seen by the city and its province."""
    client = system.client
    admin = await admin_token(client)
    guangdong = await create_official(client, admin, level="province", region_code="440000")
    dongguan = await create_official(client, admin, level="city", region_code="441900")
    shenzhen = await create_official(client, admin, level="city", region_code="440300")
    created = await register(client, residence=dict(DONGGUAN), uscc=make_uscc("441900"))
    own = await client.post("/api/v1/auth/login", json={"username": created["uscc"], "password": PASSWORD})
    assert own.json()["account"]["region_code"] == "441900"
    me = (await client.get("/api/v1/me", headers=bearer(own.json()["access_token"]))).json()
    assert me["region_code"] == "441900"
    assert me["enterprise"]["residence"]["district_code"] == ""
    assert me["enterprise"]["residence_name"] == "广东省东莞市" + DONGGUAN["street"]
    url = f"/api/v1/enterprises/{created['id']}"
    for official in (guangdong, dongguan):
        token = await login(client, official["username"])
        assert (await client.get(url, headers=bearer(token))).status_code == 200, official["region_code"]
        listed = (await client.get("/api/v1/enterprises", params={"q": created["name"]},
                                   headers=bearer(token))).json()
        assert [e["id"] for e in listed["items"]] == [created["id"]], official["region_code"]
    outsider = await login(client, shenzhen["username"])
    denied = await client.get(url, headers=bearer(outsider))
    assert denied.status_code == 403 and denied.json()["code"] == "region.forbidden"
    assert (await client.get("/api/v1/enterprises", params={"q": created["name"]},
                             headers=bearer(outsider))).json()["items"] == []
    assert (await client.post(f"{url}/password-reset", headers=bearer(outsider))).status_code == 403
    reset = await client.post(f"{url}/password-reset", headers=bearer(await login(client, dongguan["username"])))
    assert reset.status_code == 200
    await login(client, created["uscc"], reset.json()["temporary_password"])

    async def projected():
        async with system.runtime("filing").db.sessionmaker() as s:
            return await s.scalar(select(EnterpriseView.region_code).where(
                EnterpriseView.enterprise_id == created["id"]))
    assert await eventually(projected) == "441900", "filing (review) learns the city as the region"


async def test_enterprise_in_hong_kong_belongs_to_the_region_itself(system):
    """香港 has no cities: the enterprise's region is the province-level code."""
    created = await register(system.client, residence={"province_code": "810000", "city_code": "",
                                                       "district_code": "", "street": "皇后大道中1号"})
    body = (await system.client.post("/api/v1/auth/login",
                                     json={"username": created["uscc"], "password": PASSWORD})).json()
    assert body["account"]["region_code"] == "810000"


async def test_a_200_character_enterprise_name_registers(system):
    name = "长" * 196 + "有限公司"
    assert len(name) == 200
    created = await register(system.client, name=name)
    async with system.runtime("identity").db.sessionmaker() as s:
        assert await s.scalar(select(Account.name).where(Account.enterprise_id == created["id"])) == name
    token = await login(system.client, created["uscc"])
    assert (await system.client.get("/api/v1/me", headers=bearer(token))).json()["name"] == name
    too_long = await system.client.post("/api/v1/enterprises", json=registration(name=name + "x"))
    assert too_long.status_code == 422


@pytest.mark.parametrize("tax_reg_no", ["9" * 21, "1" * 30, "12345678901234", "91350100M000100Y4*"])
async def test_bad_tax_reg_no_on_profile_change_is_422_and_changes_nothing(system, tax_reg_no):
    created = await register(system.client, tax_reg_no="110101123456789")
    token = await login(system.client, created["uscc"])
    url = f"/api/v1/enterprises/{created['id']}"
    response = await system.client.patch(url, json={"tax_reg_no": tax_reg_no, "filler_name": "李四"},
                                         headers=bearer(token))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "tax_reg_no.format"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("tax_reg_no", "tax_reg_no.format")]
    assert not problem["errors"][0]["message"].isascii()
    profile = (await system.client.get(url, headers=bearer(token))).json()
    assert profile["tax_reg_no"] == "110101123456789" and profile["filler_name"] == "张三"
    ok = await system.client.patch(url, json={"tax_reg_no": " 110101 987654321 "}, headers=bearer(token))
    assert ok.status_code == 200 and ok.json()["tax_reg_no"] == "110101987654321"


async def test_failures_count_against_the_account_whatever_name_it_is_given(system):
    """USCC and licence number name the same account: 3 + 3 wrong passwords lock it on the 6th."""
    created = await register(system.client, business_licence_no="4401060" + str(time.time_ns())[-8:])
    names = [created["uscc"]] * 3 + [created["business_licence_no"]] * 3
    codes = [(await system.client.post("/api/v1/auth/login", json={"username": name, "password": "Wrong1234x"}))
             .status_code for name in names]
    assert codes == [401] * 5 + [429]
    for name in (created["uscc"].lower(), created["business_licence_no"]):
        locked = await system.client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
        assert locked.status_code == 429 and locked.json()["code"] == "auth.locked", name


async def test_parallel_wrong_passwords_get_no_more_than_five_tries(system):
    """Attempts on one account are counted in turn: ten at once cannot all pass the check before any is counted."""
    created = await register(system.client)
    wrong = {"username": created["uscc"], "password": "Wrong1234x"}
    answers = await asyncio.gather(*(system.client.post("/api/v1/auth/login", json=wrong) for _ in range(10)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [401] * 5 + [429] * 5, codes
