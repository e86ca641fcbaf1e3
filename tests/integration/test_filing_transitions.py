"""The filing's illegal transitions through the gateway: each answers 409 filing.state and changes nothing."""
from __future__ import annotations

from tests.integration.test_filing import FILING, filed_enterprise, upload
from tests.support.api import admin_token, bearer, create_official, login
from tests.support.images import png
from tests.support.waiting import eventually


async def test_every_illegal_transition_is_refused_and_changes_nothing(system):
    client = system.client
    enterprise, token = await filed_enterprise(client)
    reviewer = await create_official(client, await admin_token(client), level="district", region_code="110101",
                                     can_review=True)
    official = bearer(await login(client, reviewer["username"]))
    mine = bearer(token)
    base = f"/api/v1/filings/{enterprise['id']}"

    async def state() -> tuple[str, int]:
        body = (await client.get("/api/v1/filing", headers=mine)).json()
        return body["status"], body["version"]

    async def refused(method: str, url: str, headers: dict, **kwargs) -> None:
        before = await state()
        response = await client.request(method, url, headers=headers, **kwargs)
        assert (response.status_code, response.json()["code"]) == (409, "filing.state"), (method, url, response.text)
        assert not response.json()["detail"].isascii()
        assert await state() == before, "a refused transition changes nothing"

    async def reviewed(action: str, **kwargs) -> dict:
        async def answered():  # 404 until filing has learnt of the enterprise
            response = await client.post(f"{base}/{action}", headers=official, **kwargs)
            return response if response.status_code != 404 else None
        response = await eventually(answered)
        assert response.status_code == 200, response.text
        return response.json()

    # draft: nothing to review
    assert (await state())[0] == "draft"
    async def draft_refused():
        response = await client.post(f"{base}/confirm", headers=official)
        return response if response.status_code != 404 else None
    assert (await eventually(draft_refused)).status_code == 409
    await refused("POST", f"{base}/reject", official, json={"reason": "材料不全"})

    # submitted: neither edit, upload nor submit again
    assert (await client.post("/api/v1/filing/submit", headers=mine)).json()["status"] == "submitted"
    await refused("POST", "/api/v1/filing/submit", mine)
    await refused("PUT", "/api/v1/filing", mine, json={"data": FILING})
    before_upload = await state()
    response = await upload(client, token, "seal", png(seed=99))
    assert (response.status_code, response.json()["code"]) == (409, "filing.state"), response.text
    assert await state() == before_upload

    # confirmed: not reviewed twice, in either direction
    assert (await reviewed("confirm"))["status"] == "confirmed"
    await refused("POST", f"{base}/confirm", official)
    await refused("POST", f"{base}/reject", official, json={"reason": "重复审核"})

    # changed then rejected: the rejection is final until the enterprise submits again
    assert (await client.post("/api/v1/filing/submit", headers=mine)).json()["status"] == "changed"
    await refused("POST", "/api/v1/filing/submit", mine)
    assert (await reviewed("reject", json={"reason": "法定代表人与执照不符"}))["status"] == "rejected"
    await refused("POST", f"{base}/confirm", official)
    await refused("POST", f"{base}/reject", official, json={"reason": "再次退回"})
    assert (await client.post("/api/v1/filing/submit", headers=mine)).json()["status"] == "changed"


async def test_the_printed_form_of_a_confirmed_filing_is_what_was_confirmed(system):
    client = system.client
    enterprise, token = await filed_enterprise(client)
    mine = bearer(token)
    assert (await client.post("/api/v1/filing/submit", headers=mine)).status_code == 200
    reviewer = await create_official(client, await admin_token(client), level="district", region_code="110101",
                                     can_review=True)
    official = bearer(await login(client, reviewer["username"]))

    async def confirmed():
        response = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=official)
        return response if response.status_code == 200 else None
    await eventually(confirmed)
    edited = {**FILING, "legal_representative": "赵六"}
    assert (await client.put("/api/v1/filing", json={"data": edited}, headers=mine)).status_code == 200

    page = (await client.get("/api/v1/filing/print", headers=mine)).text
    assert "王五" in page and "赵六" not in page, "a saved, unsubmitted edit is not on record"
    assert (await client.post("/api/v1/filing/submit", headers=mine)).json()["status"] == "changed"
    page = (await client.get("/api/v1/filing/print", headers=mine)).text
    assert "赵六" in page, "under review, the form shows the change submitted"
