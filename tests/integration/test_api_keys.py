"""API keys for dealer software through the gateway, in both modes: shown once, hashed at rest, listed
with their last use, revocable, usable only on the enterprise's own transactions and reports, per-key limits."""
from __future__ import annotations

import pytest
from autocirc_gateway.app import Dispatcher
from autocirc_gateway.ratelimit import SlidingWindow
from autocirc_identity.models import ApiKey
from sqlalchemy import select

from tests.support.api import admin_token, bearer, login, register
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body
from tests.support.waiting import eventually

KEYS = "/api/v1/api-keys"


@pytest.fixture(scope="module", params=["system", "embedded"])
def running(request):
    return request.getfixturevalue(request.param)


def dispatcher_of(app) -> Dispatcher:
    while not isinstance(app, Dispatcher):
        app = app.app
    return app


async def test_a_key_enters_and_lists_own_records_and_nothing_else(running):
    client = running.client
    enterprise, token = await confirmed_enterprise(client)
    created = await client.post(KEYS, json={"name": "经销商管理系统"}, headers=bearer(token))
    assert created.status_code == 201, created.text
    key_id, key = created.json()["id"], created.json()["key"]
    assert key.startswith("ak_") and len(key) > 40
    listed = (await client.get(KEYS, headers=bearer(token))).json()
    assert [(k["id"], k["name"], k["last_used_at"]) for k in listed] == [(key_id, "经销商管理系统", None)]
    assert key not in str(listed) and listed[0]["prefix"] == key[:10]
    async with running.runtime("identity").db.sessionmaker() as session:
        stored = (await session.scalars(select(ApiKey).where(ApiKey.id == key_id))).one()
    assert key not in str(vars(stored)) and len(stored.key_hash) == 64, "only the hash is stored"

    machine = bearer(key)
    entered = await client.post("/api/v1/transactions", json=transaction_body(vehicle={"vin": make_vin()}),
                                headers=machine)
    assert entered.status_code == 201, entered.text
    assert entered.json()["enterprise_id"] == enterprise["id"] and entered.json()["warnings"] == []
    mine = await client.get("/api/v1/transactions", params={"vin": entered.json()["vehicle"]["vin"]}, headers=machine)
    assert [r["id"] for r in mine.json()["items"]] == [entered.json()["id"]]

    async def draft():  # once reports has heard of the confirmation
        response = await client.get("/api/v1/reports/used-car-monthly/draft", params={"period": "2024-03"},
                                    headers=machine)
        assert response.status_code in (200, 403), response.text
        return response.status_code == 200

    await eventually(draft, timeout=30)
    for method, path in (("GET", "/api/v1/me"), ("GET", "/api/v1/filing"), ("GET", KEYS),
                         ("POST", KEYS), ("DELETE", f"{KEYS}/{key_id}"), ("GET", "/api/v1/catalog/brands")):
        refused = await client.request(method, path, headers=machine, json={"name": "x"} if method == "POST" else None)
        assert (refused.status_code, refused.json()["code"]) == (403, "api_key.forbidden"), (method, path)
    for path in ("/api/v1/vehicles/findings", "/api/v1/statistics/used-car-monthly"):  # officials' endpoints
        assert (await client.get(path, params={"period": "2024"}, headers=machine)).status_code == 403
    assert (await client.get(KEYS, headers=bearer(token))).json()[0]["last_used_at"] is not None

    other = await register(client)
    other_token = await login(client, other["uscc"])
    assert (await client.delete(f"{KEYS}/{key_id}", headers=bearer(other_token))).status_code == 404
    assert (await client.get(KEYS, headers=bearer(other_token))).json() == []
    assert (await client.delete(f"{KEYS}/{key_id}", headers=bearer(token))).status_code == 204
    gone = await client.get("/api/v1/transactions", headers=machine)
    assert (gone.status_code, gone.json()["code"]) == (401, "auth.invalid_key"), "revoked: refused at once"
    assert (await client.delete(f"{KEYS}/{key_id}", headers=bearer(token))).status_code == 404
    assert (await client.get(KEYS, headers=bearer(token))).json() == []
    unknown = await client.get("/api/v1/transactions", headers=bearer("ak_" + "x" * 43))
    assert unknown.status_code == 401


async def test_keys_are_for_enterprises_and_limited_per_key(running):
    client = running.client
    _, token = await confirmed_enterprise(client)
    key = (await client.post(KEYS, json={"name": "限流"}, headers=bearer(token))).json()["key"]
    blank = await client.post(KEYS, json={"name": ""}, headers=bearer(token))
    assert blank.status_code == 422
    admin = await client.post(KEYS, json={"name": "x"}, headers=bearer(await admin_token(client)))
    assert (admin.status_code, admin.json()["code"]) == (403, "forbidden.role")
    keys = dispatcher_of(running.app).keys
    saved, keys.limit = keys.limit, SlidingWindow(3)
    try:
        statuses = [(await client.get("/api/v1/transactions", headers=bearer(key))).status_code for _ in range(4)]
        limited = await client.get("/api/v1/transactions", headers=bearer(key))
    finally:
        keys.limit = saved
    assert statuses == [200, 200, 200, 429] and int(limited.headers["Retry-After"]) >= 1
    assert (await client.get("/api/v1/transactions", headers=bearer(token))).status_code == 200, "the login is not"
