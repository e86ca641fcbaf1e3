"""Round two's defects, in both modes: a report draft files as it is; a new filing starts from registration."""
from __future__ import annotations

from datetime import date

import pytest

from tests.integration.test_reports import TODAY, USED, publish, recorded, reporting_enterprise
from tests.support.api import bearer, login, register
from tests.support.waiting import eventually


@pytest.fixture(params=["system", "embedded"])
def any_system(request):
    """Either mode, with reports' today fixed as AUTOCIRC_TODAY would."""
    system = request.getfixturevalue(request.param)
    settings = system.runtime("reports").settings
    saved, settings.today = settings.today, date.fromisoformat(TODAY)
    yield system
    settings.today = saved


async def test_a_draft_is_filed_back_unchanged(any_system):
    client = any_system.client
    enterprise, token = await reporting_enterprise(any_system)
    await publish(any_system, recorded(enterprise["id"], "110101", "2026-10-08", "suv", "120000"))

    async def drafted():
        body = (await client.get(f"{USED}/draft", params={"period": "2026-10"}, headers=bearer(token))).json()
        return body if body["totals"]["count"] == 1 else None

    draft = await eventually(drafted)
    assert {"category_label", "count"} <= set(draft["rows"][0]) and "source" in draft, "the draft carries read-only fields"
    filed = await client.post(USED, json=draft, headers=bearer(token))
    assert filed.status_code == 201, filed.text
    suv = next(row for row in filed.json()["rows"] if row["category"] == "suv")
    assert (suv["count"], suv["amount_wan"], suv["category_label"]) == (1, 12, "SUV")
    unknown = await client.post(USED, json={**draft, "period": "2026-09", "colour": "red"}, headers=bearer(token))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "field.unknown", \
        "fields that are neither input nor read-only are still refused"


async def test_a_new_filing_is_prefilled_from_registration(any_system):
    client = any_system.client
    enterprise = await register(client, filler_name="李四")
    token = await login(client, enterprise["uscc"])

    async def prefilled():
        body = (await client.get("/api/v1/filing", headers=bearer(token))).json()
        return body if body["registered"] else None

    body = await eventually(prefilled)
    assert body["registered"] == {"name": enterprise["name"], "uscc": enterprise["uscc"], "business_licence_no": None,
                                  "types": ["used_car_dealer"]}
    assert body["data"]["residence"] == enterprise["residence"]
    assert body["data"]["filler"] == {"name": "李四"}, "the filler's mobile never travels in an event"
    saved = await client.put("/api/v1/filing", json={"data": {"legal_representative": "王五"}}, headers=bearer(token))
    assert saved.status_code == 200, saved.text
    assert saved.json()["data"]["residence"] == enterprise["residence"], "the first save keeps the pre-fill"
    submitted = await client.post("/api/v1/filing/submit", headers=bearer(token))
    fields = {e["field"] for e in submitted.json()["errors"]}
    assert "residence" not in fields and "legal_representative" not in fields, fields
