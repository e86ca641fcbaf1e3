"""Regression tests for the 500s the fuzzer found, each on PostgreSQL and on SQLite (embedded)."""
from __future__ import annotations

import pytest

from tests.support.api import admin_token, bearer, create_official, login, make_uscc
from tests.support.flows import confirmed_enterprise

from .conftest import TIBET

HUGE_PAGE = str(2**64 + 1)  # found by schemathesis: OFFSET out of int64 range → 500


@pytest.fixture(params=["system", "embedded"])
def any_system(request):
    return request.getfixturevalue(request.param)


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
