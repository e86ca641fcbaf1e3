"""Issue 3 end to end through the gateway: an enterprise files with three images, an official
confirms, and the traffic-police endpoint (our stub) receives each image once — also when
the endpoint was down during confirmation."""
from __future__ import annotations

import asyncio

from tests.integration.test_filing import FILING, upload
from tests.support.api import admin_token, bearer, create_official, login, register, stub_faults
from tests.support.images import png
from tests.support.waiting import eventually

KINDS = ("licence_original", "licence_copy", "seal")



async def set_faults(client, **faults) -> None:
    body = {"down": False, "fail_rate": 0, "delay_ms": 0, **faults}
    response = await stub_faults(client, **body)
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


async def _media_of(client, token: str) -> dict[str, dict]:
    return {m["kind"]: m for m in (await client.get("/api/v1/filing/media", headers=bearer(token))).json()}


async def _seal_delivered(client, token: str, sha256: str) -> dict | None:
    seal = (await _media_of(client, token))["seal"]
    return seal if seal["sha256"] == sha256 and seal["police_sync"]["status"] == "delivered" else None


async def _change_seal_and_confirm(client, token: str, official: str, enterprise_id: str, image: bytes) -> str:
    uploaded = await upload(client, token, "seal", image)
    assert uploaded.status_code == 201, uploaded.text
    resubmitted = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "changed", resubmitted.text
    await confirm(client, official, enterprise_id)
    return uploaded.json()["sha256"]


def _current_seal(docs: list[dict]) -> dict:
    """The police's current seal: the one they received last."""
    return max((d for d in docs if d["kind"] == "seal"), key=lambda d: d["received_at"])


async def test_putting_back_an_earlier_image_reaches_the_police_again(system):
    """A → B → A: the third confirmation sends A again (the police's current seal is A once more)
    and the filing shows it delivered, with the new receipt."""
    client = system.client
    enterprise, token, shas = await submit_filing_with_images(client, seed=303)
    official = await reviewer(client)
    await confirm(client, official, enterprise["id"])
    first = await eventually(lambda: _seal_delivered(client, token, shas["seal"]), timeout=30)

    seal_b = await _change_seal_and_confirm(client, token, official, enterprise["id"], png(seed=3039))
    second = await eventually(lambda: _seal_delivered(client, token, seal_b), timeout=30)
    assert second["police_sync"]["receipt_id"] != first["police_sync"]["receipt_id"]

    seal_a = await _change_seal_and_confirm(client, token, official, enterprise["id"], png(seed=303 * 10 + 2))
    assert seal_a == shas["seal"], "the same picture again"
    third = await eventually(lambda: _seal_delivered(client, token, seal_a), timeout=30)
    assert third["police_sync"]["receipt_id"] not in {first["police_sync"]["receipt_id"],
                                                     second["police_sync"]["receipt_id"]}

    docs = await stub_documents(client, enterprise["uscc"])
    seals = [d for d in docs if d["kind"] == "seal"]
    assert [d["sha256"] for d in sorted(seals, key=lambda d: d["received_at"])] == [seal_a, seal_b, seal_a]
    current = _current_seal(docs)
    assert current["sha256"] == seal_a and current["receipt_id"] == third["police_sync"]["receipt_id"]
    assert [d["receipt_id"] for d in docs if d["current"] and d["kind"] == "seal"] == [current["receipt_id"]]
    assert sum(d["current"] for d in docs) == 3, "one current document per kind"
    assert len(docs) == 5, "the licences were not sent again"
