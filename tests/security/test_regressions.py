"""Regression tests for the 500s the fuzzer found, each on PostgreSQL and on SQLite (embedded)."""
from __future__ import annotations

import io

import openpyxl

from tests.support.api import admin_token, bearer, create_official, login, make_uscc, register
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body

from .conftest import TIBET

HUGE_PAGE = str(2**64 + 1)  # found by schemathesis: OFFSET out of int64 range → 500


async def test_a_page_number_past_int64_is_422_on_every_list(any_system):
    client = any_system.client
    document = (await client.get("/openapi.json")).json()
    lists = [(path, op) for path, item in document["paths"].items() for method, op in item.items()
             if method == "get" and any(p["name"] == "page" for p in op.get("parameters", []))]
    assert len(lists) >= 20
    _, enterprise = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    admin = await admin_token(client)
    official = await create_official(client, admin, level="province", region_code="540000")
    tokens = [enterprise, await login(client, official["username"]), admin]
    for path, _ in lists:
        params = {"page": HUGE_PAGE, "period": "2026-11"}
        for token in tokens:  # the first kind of account that may list it
            response = await client.get(path, params=params, headers=bearer(token))
            if response.status_code != 403:
                break
        assert response.status_code == 422, (path, response.status_code, response.text)
        body = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert body["code"] == "field.range" and body["errors"][0]["field"] == "page", (path, body)
        assert not body["detail"].isascii(), "a Chinese message"


async def test_nul_in_json_text_is_422_and_stores_nothing(any_system):
    """Found while attacking the exports: NUL in a transaction field was a 500 on PostgreSQL (text cannot hold
    it); in a filing field SQLite/JSON stored it and the workbook export then failed."""
    client = any_system.client
    _, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    body = transaction_body(vehicle={"vin": make_vin("LFV3A23C")})
    body["buyer"]["name"] = "\u0000=1+1"
    entered = await client.post("/api/v1/transactions", headers=bearer(token), json=body)
    assert entered.status_code == 422, entered.text
    assert entered.json()["code"] == "field.control_char" and entered.json()["errors"][0]["field"] == "buyer.name"
    assert (await client.get("/api/v1/transactions", headers=bearer(token))).json()["total"] == 0
    saved = await client.put("/api/v1/filing", headers=bearer(token), json={"data": {"legal_representative": "\u0000王"}})
    assert saved.status_code == 422 and saved.json()["errors"][0]["field"] == "data.legal_representative"
    # other control characters are stored as sent, and the export drops what a worksheet cannot hold (a draft:
    # a confirmed filing prints what was confirmed, not what was saved since)
    drafting = await register(client, uscc=make_uscc("540102"), residence=dict(TIBET))
    draft_token = await login(client, drafting["uscc"])
    stored = await client.put("/api/v1/filing", headers=bearer(draft_token),
                              json={"data": {"business_scope": "\u0001=经销"}})
    assert stored.status_code == 200, stored.text
    export = await client.get("/api/v1/filing/export.xlsx", headers=bearer(draft_token))
    assert export.status_code == 200
    assert "'=经销" in [c for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
                       for c in row]


async def test_nul_in_a_query_parameter_or_path_is_422(any_system):
    """Found by the fuzzer: ``?manufacturer_id=...%00`` reached PostgreSQL and answered 500."""
    client = any_system.client
    token = bearer(await admin_token(client))
    for path, params in (("/api/v1/catalog/brands", {"manufacturer_id": "x\x00y"}),
                         ("/api/v1/catalog/brands", {"q": "\x00"}),
                         ("/api/v1/filings", {"q": "比亚迪\x00"}),
                         ("/api/v1/catalog/models/a%00b/displacements", {})):
        method = "POST" if path.endswith("displacements") else "GET"
        response = await client.request(method, path, params=params, headers=token, json={"litres": 1.5})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["code"] == "field.control_char", response.text



async def test_the_police_stub_is_closed_on_the_public_gateway_unless_asked(any_system, monkeypatch):
    """The stub lists every enterprise's delivered images and can stop the feed: not on the public gateway by
    default (both modes), and its fault switches need the admin token even where it is forwarded (tests)."""
    from autocirc_gateway.settings import GatewaySettings

    from tests.support.api import stub_faults

    from .conftest import figure

    client = any_system.client
    assert GatewaySettings.model_fields["police_stub_public"].default is False
    enterprise = await register(client, uscc=make_uscc("540102"), residence=dict(TIBET))
    switches = {"none": (await client.put("/stub/police/faults", json={"down": True})).status_code,
                "enterprise": (await client.put("/stub/police/faults", json={"down": True},
                                                headers=bearer(await login(client, enterprise["uscc"])))).status_code}
    assert switches == {"none": 401, "enterprise": 403}
    assert (await stub_faults(client, "GET")).json()["down"] is False  # neither switched it
    switches["admin"] = (await stub_faults(client)).status_code
    assert switches["admin"] == 200
    monkeypatch.setattr(any_system.app.gateway_settings, "police_stub_public", False)  # the default
    admin = bearer(await admin_token(client))
    closed = {}
    for method, path in (("GET", "/stub/police/documents"), ("GET", "/stub/police/stats"),
                         ("PUT", "/stub/police/faults"), ("POST", "/stub/police/documents")):
        response = await client.request(method, path, json={}, headers=admin)
        closed[f"{method} {path}"] = response.status_code
        assert response.status_code == 404 and response.json()["code"] == "not_found", (path, response.text)
    any_system.app.openapi_cache.clear()
    paths = (await client.get("/openapi.json")).json()["paths"]
    any_system.app.openapi_cache.clear()
    assert not [p for p in paths if p.startswith("/stub/")]
    figure("police_stub_switches", switches)
    figure("police_stub_closed", closed)
