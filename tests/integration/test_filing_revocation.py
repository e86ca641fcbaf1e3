"""Filing revocation (注销) through the gateway, in both modes: only a reviewing official of the region
revokes, with a reason the enterprise sees; entry and reports stop at once their projections hear of it;
a new filing can be submitted and confirmed, and rights come back."""
from __future__ import annotations

from tests.support.api import admin_token, bearer, create_official, login
from tests.support.flows import confirmed_enterprise, transaction_body, wait_until_entry_open
from tests.support.waiting import eventually

REASON = "企业已停止经营，依申请注销备案"


async def _gates(client, token: str) -> tuple[int, int]:
    entry = await client.post("/api/v1/transactions", json=transaction_body(), headers=bearer(token))
    reports = await client.get("/api/v1/reports/used-car-monthly", headers=bearer(token))
    for response in (entry, reports):
        assert response.status_code != 403 or response.json()["code"] == "filing.not_confirmed", response.text
    return entry.status_code, reports.status_code


async def revoke_and_refile(client) -> None:
    enterprise, token = await confirmed_enterprise(client)
    base = f"/api/v1/filings/{enterprise['id']}"
    district = enterprise["residence"]["district_code"]
    admin = await admin_token(client)
    reviewer = bearer(await login(client, (await create_official(
        client, admin, level="district", region_code=district, can_review=True))["username"]))
    no_right = bearer(await login(client, (await create_official(
        client, admin, level="district", region_code=district))["username"]))
    outside = bearer(await login(client, (await create_official(
        client, admin, level="district", region_code="110102", can_review=True))["username"]))
    assert await _gates(client, token) == (201, 200)

    for headers in (no_right, outside, bearer(token)):
        refused = await client.post(f"{base}/revoke", json={"reason": REASON}, headers=headers)
        assert refused.status_code == 403, refused.text
    blank = await client.post(f"{base}/revoke", json={"reason": "  "}, headers=reviewer)
    assert (blank.status_code, blank.json()["errors"][0]["field"]) == (422, "reason"), blank.text
    assert (await client.get("/api/v1/filing", headers=bearer(token))).json()["status"] == "confirmed"

    revoked = await client.post(f"{base}/revoke", json={"reason": REASON}, headers=reviewer)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked" and revoked.json()["history"][-1]["action"] == "revoke"
    mine = (await client.get("/api/v1/filing", headers=bearer(token))).json()
    assert (mine["status"], mine["review"]["reason"], mine["confirmed"]) == ("revoked", REASON, None)
    again = await client.post(f"{base}/revoke", json={"reason": REASON}, headers=reviewer)
    assert (again.status_code, again.json()["code"]) == (409, "filing.state")

    async def both_closed():
        return await _gates(client, token) == (403, 403)
    await eventually(both_closed, timeout=20)

    resubmitted = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert resubmitted.json()["status"] == "submitted", resubmitted.text  # a new filing, not a change
    assert await _gates(client, token) == (403, 403)  # nothing in force while it waits
    confirmed = await client.post(f"{base}/confirm", headers=reviewer)
    assert confirmed.json()["status"] == "confirmed", confirmed.text
    await wait_until_entry_open(client, token)

    async def reports_open():
        return (await client.get("/api/v1/reports/used-car-monthly", headers=bearer(token))).status_code == 200
    await eventually(reports_open, timeout=20)


async def test_revocation_stops_rights_and_a_new_filing_restores_them(system):
    await revoke_and_refile(system.client)


async def test_revocation_in_embedded_mode(embedded):
    await revoke_and_refile(embedded.client)
