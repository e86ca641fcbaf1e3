"""An enterprise cannot move itself to another jurisdiction: a filed enterprise's residence change is a filing
change (已变更) that the new region's official confirms; until then it stays where it was, for officials, reports
and transactions."""
from __future__ import annotations

from autocirc_identity.models import Enterprise

from tests.support.api import admin_token, bearer, create_official, login, make_uscc
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body
from tests.support.waiting import eventually

from .conftest import TIBET, XINJIANG, figure, mode_of

MOVED = dict(XINJIANG, street="天山路99号")


async def _official(client, admin: str, **kwargs) -> dict:
    return bearer(await login(client, (await create_official(client, admin, **kwargs))["username"]))


async def _sees_transaction(client, headers: dict, transaction_id: str) -> bool:
    page = (await client.get("/api/v1/transactions", headers=headers, params={"page_size": 200})).json()
    return any(item["id"] == transaction_id for item in page["items"])


async def test_a_residence_change_waits_for_the_new_regions_confirmation(any_system):
    client = any_system.client
    enterprise, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    own = bearer(token)
    entered = await client.post("/api/v1/transactions", headers=own,
                                json=transaction_body(vehicle={"vin": make_vin("LFV3A23C")}))
    assert entered.status_code == 201, entered.text
    admin = await admin_token(client)
    old_reviewer = await _official(client, admin, level="district", region_code="540102", can_review=True)
    old_province = await _official(client, admin, level="province", region_code="540000")
    new_reviewer = await _official(client, admin, level="district", region_code="650102", can_review=True)
    new_province = await _official(client, admin, level="province", region_code="650000")
    identity = any_system.runtime("identity")

    async def filed():  # identity learns of the filing from filing's event
        async with identity.uow() as uow:
            return (await uow.session.get(Enterprise, enterprise["id"])).filed

    await eventually(filed, timeout=30)
    moved = await client.patch(f"/api/v1/enterprises/{enterprise['id']}", headers=own, json={"residence": MOVED})
    assert moved.status_code == 200, moved.text
    assert moved.json()["residence"]["district_code"] == "540102"  # not moved yet
    assert moved.json()["pending_residence"]["district_code"] == "650102"
    detail_path = f"/api/v1/filings/{enterprise['id']}"

    async def under_review():
        response = await client.get(detail_path, headers=new_reviewer)
        return response.json() if response.status_code == 200 and response.json()["status"] == "changed" else None

    detail = await eventually(under_review, timeout=30)
    assert detail["diff"][0]["field"] == "residence" and "天山路99号" in detail["diff"][0]["after"]
    queue = (await client.get("/api/v1/filings", headers=new_reviewer, params={"status": "changed"})).json()
    assert enterprise["id"] in [f["enterprise_id"] for f in queue["items"]]
    # until confirmed it stays where it was: its old officials, reports and transactions
    assert (await client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=old_province)).status_code == 200
    assert (await client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=new_province)).status_code == 403
    assert await _sees_transaction(client, old_province, entered.json()["id"])
    assert not await _sees_transaction(client, new_province, entered.json()["id"])
    refused = await client.post(f"{detail_path}/confirm", headers=old_reviewer)
    assert refused.status_code == 403, refused.text  # the old region does not decide the move
    confirmed = await client.post(f"{detail_path}/confirm", headers=new_reviewer)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"

    async def moved_everywhere():
        profile = (await client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=own)).json()
        return (profile["residence"]["district_code"] == "650102" and profile["pending_residence"] is None
                and await _sees_transaction(client, new_province, entered.json()["id"]))

    await eventually(moved_everywhere, timeout=30)
    assert (await client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=old_province)).status_code == 403
    assert not await _sees_transaction(client, old_province, entered.json()["id"])
    figure(f"residence_move_{mode_of(any_system)}",
           "PATCH 200 stays in 540102 (pending); new region's review 已变更; old reviewer 403; moved after confirm")
