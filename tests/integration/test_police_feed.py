"""Issue 3 end to end through the gateway: an enterprise files with three images, an official
confirms, and the traffic-police endpoint (our stub) receives each image once — also when
the endpoint was down during confirmation."""
from __future__ import annotations

import asyncio

from tests.integration.test_filing import FILING, upload
from tests.support.api import admin_token, bearer, create_official, login, register
from tests.support.images import png
from tests.support.waiting import eventually

KINDS = ("licence_original", "licence_copy", "seal")



async def set_faults(client, **faults) -> None:
    body = {"down": False, "fail_rate": 0, "delay_ms": 0, **faults}
    response = await client.put("/stub/police/faults", json=body)
    assert response.status_code in (200, 204), response.text


async def submit_filing_with_images(client, seed: int) -> tuple[dict, str, dict[str, str]]:
    enterprise = await register(client)
    token = await login(client, enterprise["uscc"])
    assert (await client.put("/api/v1/filing", json={"data": FILING}, headers=bearer(token))).status_code == 200
    shas = {}
    for i, kind in enumerate(KINDS):
        response = await upload(client, token, kind, png(seed=seed * 10 + i))
        shas[kind] = response.json()["sha256"]
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    return enterprise, token, shas


async def reviewer(client) -> str:
    admin = await admin_token(client)
    official = await create_official(client, admin, level="province", region_code="110000", can_review=True)
    return await login(client, official["username"])


async def stub_documents(client, uscc: str) -> list[dict]:
    return (await client.get("/stub/police/documents", params={"uscc": uscc})).json()


async def confirm(client, token: str, enterprise_id: str) -> None:
    async def attempt():
        response = await client.post(f"/api/v1/filings/{enterprise_id}/confirm", headers=bearer(token))
        return response.status_code == 200

    await eventually(attempt, timeout=30)


async def test_confirmed_filing_images_reach_the_police_and_show_delivered(system):
    client = system.client
    enterprise, token, shas = await submit_filing_with_images(client, seed=101)
    official = await reviewer(client)
    without_right = await create_official(client, await admin_token(client), level="city", region_code="110100")
    denied = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm",
                               headers=bearer(await login(client, without_right["username"])))
    assert denied.status_code == 403
    await confirm(client, official, enterprise["id"])

    docs = await eventually(lambda: _when_count(stub_documents(client, enterprise["uscc"]), 3), timeout=30)
    assert {d["kind"]: d["sha256"] for d in docs} == shas

    async def delivered():
        media = (await client.get("/api/v1/filing/media", headers=bearer(token))).json()
        return media if all(m["police_sync"]["status"] == "delivered" for m in media) and len(media) == 3 else None

    media = await eventually(delivered, timeout=30)
    assert all(m["police_sync"]["receipt_id"] for m in media)


async def _when_count(awaitable, n: int):
    items = await awaitable
    return items if len(items) == n else None


async def test_police_down_during_confirmation_then_back_delivers_once(system):
    client = system.client
    enterprise, token, shas = await submit_filing_with_images(client, seed=202)
    official = await reviewer(client)
    await set_faults(client, down=True)
    try:
        await confirm(client, official, enterprise["id"])
        await asyncio.sleep(2)
        assert await stub_documents(client, enterprise["uscc"]) == []
        media = (await client.get("/api/v1/filing/media", headers=bearer(token))).json()
        assert all(m["police_sync"]["status"] in ("pending", "failed") for m in media)
    finally:
        await set_faults(client, down=False)
    docs = await eventually(lambda: _when_count(stub_documents(client, enterprise["uscc"]), 3), timeout=60)
    assert sorted(d["sha256"] for d in docs) == sorted(shas.values())
    await asyncio.sleep(1)
    assert len(await stub_documents(client, enterprise["uscc"])) == 3, "no duplicates at the stub"
