"""The public filing check (备案查询): no login, one word about the filing, rate-limited per client."""
from __future__ import annotations

import pytest

from tests.integration.test_filing import FILING
from tests.support.api import bearer, login, make_uscc, register
from tests.support.flows import confirmed_enterprise

URL = "/api/v1/public/filings"


@pytest.fixture(params=["system", "embedded"])
def running(request):
    return request.getfixturevalue(request.param)


async def test_confirmed_changed_and_not_filed_without_login(running):
    client = running.client
    enterprise, token = await confirmed_enterprise(client, wait_for_transactions=False)
    answer = await client.get(f"{URL}/{enterprise['uscc'].lower()}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"uscc", "name", "status", "types", "confirmed_on", "region_name"}, "nothing else"
    assert body["status"] == "confirmed" and body["name"] == enterprise["name"] and body["uscc"] == enterprise["uscc"]
    assert body["types"] == enterprise["types"] and body["confirmed_on"] and "东城区" in body["region_name"]

    assert (await client.put("/api/v1/filing", json={"data": {**FILING, "business_scope": "二手车经销、拍卖"}},
                             headers=bearer(token))).status_code == 200
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    assert (await client.get(f"{URL}/{enterprise['uscc']}")).json()["status"] == "changed"

    registered = await register(client)
    await login(client, registered["uscc"])
    for uscc in (registered["uscc"], make_uscc()):
        assert (await client.get(f"{URL}/{uscc}")).json() == {
            "uscc": uscc, "name": None, "status": "not_filed", "types": [], "confirmed_on": None, "region_name": None}


async def test_the_check_is_rate_limited_per_client(embedded):
    client = embedded.client
    statuses = [(await client.get(f"{URL}/{make_uscc()}")).status_code for _ in range(61)]  # 60 a minute
    first = statuses.index(429)  # earlier tests of this session may have spent some of the minute
    assert set(statuses[:first]) <= {200} and set(statuses[first:]) == {429}
    limited = await client.get(f"{URL}/{make_uscc()}")
    assert limited.json()["code"] == "rate.limited" and int(limited.headers["Retry-After"]) >= 1
