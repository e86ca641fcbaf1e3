"""What a reviewer checks (issue 17): the brands by name, the images themselves, and an image replaced after
confirmation treated as a filing change — the confirmed images stay in force (and are all the police get)."""
from __future__ import annotations

import hashlib

from tests.integration.test_filing import FILING, upload
from tests.integration.test_police_feed import confirm, reviewer, stub_documents, submit_filing_with_images
from tests.support.api import admin_token, bearer, create_official, login, make_uscc, register
from tests.support.images import png
from tests.support.waiting import eventually


async def test_the_reviewer_sees_brands_by_name_and_each_image(system):
    client = system.client
    enterprise = await register(client, types=["new_car_dealer"], uscc=make_uscc())
    token = await login(client, enterprise["uscc"])

    async def starter():
        page = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"}, headers=bearer(token))).json()
        return page["items"] or None

    byd = (await eventually(starter))[0]
    maker = byd["manufacturers"][0]
    data = {**FILING, "professional_staff_count": None,
            "brands": [{"brand_id": byd["id"], "manufacturer_id": maker["id"], "authorised": False}]}
    assert (await client.put("/api/v1/filing", json={"data": data}, headers=bearer(token))).status_code == 200
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        assert (await upload(client, token, kind, png(seed=8100 + i))).status_code == 201
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    official = await login(client, (await create_official(client, await admin_token(client), level="district",
                                                          region_code="110101"))["username"])

    async def detail():
        response = await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(official))
        return response.json() if response.status_code == 200 else None

    body = await eventually(detail)
    assert body["brands"] == [{"brand_id": byd["id"], "brand_name": byd["name"], "manufacturer_id": maker["id"],
                               "manufacturer_name": maker["name"], "authorised": False}]
    assert {m["kind"] for m in body["media"]} == {"licence_original", "licence_copy", "seal"}
    seal = next(m for m in body["media"] if m["kind"] == "seal")
    assert seal["url"] == f"/api/v1/filings/{enterprise['id']}/media/{seal['sha256']}"
    shown = await client.get(seal["url"], headers=bearer(official))
    assert shown.status_code == 200 and shown.headers["content-type"] == seal["content_type"]
    assert hashlib.sha256(shown.content).hexdigest() == seal["sha256"] and len(shown.content) == seal["size"]
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert (await client.get(seal["url"], headers=bearer(token))).status_code == 200, "the owner sees it too"

    stranger = await login(client, (await register(client))["uscc"])
    assert (await client.get(seal["url"], headers=bearer(stranger))).status_code == 404
    outside = await login(client, (await create_official(client, await admin_token(client), level="province",
                                                         region_code="310000"))["username"])
    refused = await client.get(seal["url"], headers=bearer(outside))
    assert refused.status_code == 403 and refused.json()["code"] == "region.forbidden"
    assert (await client.get(seal["url"], headers=bearer(await admin_token(client)))).status_code == 403
    unknown = f"/api/v1/filings/{enterprise['id']}/media/{'0' * 64}"
    assert (await client.get(unknown, headers=bearer(official))).status_code == 404
    assert (await client.get(f"/api/v1/filings/{enterprise['id']}/media/x", headers=bearer(official))).status_code == 422


async def test_an_image_replaced_after_confirmation_waits_for_review_and_the_police_keep_the_confirmed_one(system):
    client = system.client
    enterprise, token, shas = await submit_filing_with_images(client, seed=917)
    official = await reviewer(client)
    await confirm(client, official, enterprise["id"])
    await eventually(lambda: _all_delivered(client, token), timeout=30)

    new_seal = (await upload(client, token, "seal", png(seed=9179))).json()["sha256"]
    mine = {m["kind"]: m for m in (await client.get("/api/v1/filing/media", headers=bearer(token))).json()}
    assert mine["seal"]["sha256"] == new_seal and mine["seal"]["under_change"] is True
    assert mine["licence_copy"]["under_change"] is False
    detail = (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(official))).json()
    seal = next(m for m in detail["media"] if m["kind"] == "seal")
    assert detail["status"] == "confirmed" and seal["sha256"] == shas["seal"], "the confirmed seal stays in force"
    assert seal["police_sync"]["status"] == "delivered", "with the delivery it had"
    new_url = f"/api/v1/filings/{enterprise['id']}/media/{new_seal}"
    assert (await client.get(new_url, headers=bearer(official))).status_code == 404, "not on record before submitting"

    changed = (await client.post("/api/v1/filing/submit", headers=bearer(token))).json()
    assert changed["status"] == "changed"
    detail = (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(official))).json()
    assert {d["field"]: (d["before"], d["after"]) for d in detail["diff"]} == {"media.seal": (shas["seal"], new_seal)}
    assert {m["kind"]: m["sha256"] for m in detail["confirmed_media"]}["seal"] == shas["seal"]
    assert next(m for m in detail["media"] if m["kind"] == "seal")["sha256"] == new_seal
    for sha in (shas["seal"], new_seal):  # side by side: both viewable
        assert (await client.get(f"/api/v1/filings/{enterprise['id']}/media/{sha}", headers=bearer(official))).status_code == 200
    docs = await stub_documents(client, enterprise["uscc"])
    assert new_seal not in {d["sha256"] for d in docs}, "media-sync delivers confirmed images only"

    await confirm(client, official, enterprise["id"])
    docs = await eventually(lambda: _count(stub_documents(client, enterprise["uscc"]), 4), timeout=30)
    assert new_seal in {d["sha256"] for d in docs}


async def _count(documents, n: int):
    docs = await documents
    return docs if len(docs) >= n else None


async def _all_delivered(client, token: str) -> bool:
    media = (await client.get("/api/v1/filing/media", headers=bearer(token))).json()
    return len(media) == 3 and all(m["police_sync"]["status"] == "delivered" for m in media)
