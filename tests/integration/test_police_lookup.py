"""The police look-up (issue 12), through the gateway in both modes: the admin issues an agency key (shown
once, stored hashed); a clerk at the vehicle office looks an enterprise up and fetches its images with it;
every look-up is in the admin's access log; the key opens nothing else, and once revoked not even that."""
from __future__ import annotations

import hashlib

from autocirc_shared.clock import china_today

from tests.support.api import admin_token, bearer, create_official, login
from tests.support.flows import confirmed_enterprise
from tests.support.waiting import eventually

AGENCY = "北京市公安局公安交通管理局车辆管理所"


async def look_up_and_log(client) -> None:
    admin = bearer(await admin_token(client))
    issued = await client.post("/api/v1/agency-keys", json={"agency": AGENCY, "name": "窗口1"}, headers=admin)
    assert issued.status_code == 201, issued.text
    key_id, key = issued.json()["id"], issued.json()["key"]
    listed = await client.get("/api/v1/agency-keys", headers=admin)
    assert key_id in [k["id"] for k in listed.json()["items"]] and key not in listed.text, "shown once only"
    blank = await client.post("/api/v1/agency-keys", json={"agency": "", "name": "x"}, headers=admin)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "agency"
    clerk = bearer(key)

    enterprise, token = await confirmed_enterprise(client, wait_for_transactions=False)
    uscc = enterprise["uscc"]

    async def found():
        response = await client.get(f"/api/v1/police/enterprises/{uscc}", headers=clerk)
        assert response.status_code in (200, 404), response.text
        return response.json() if response.status_code == 200 else None
    record = await eventually(found, timeout=30)
    assert (record["uscc"], record["name"], record["status"]) == (uscc, enterprise["name"], "confirmed")
    assert record["types"] == ["used_car_dealer"] and record["confirmed_at"]
    mine = (await client.get("/api/v1/filing/media", headers=bearer(token))).json()
    assert {i["kind"]: i["sha256"] for i in record["images"]} == {m["kind"]: m["sha256"] for m in mine}
    seal = next(i for i in record["images"] if i["kind"] == "seal")
    image = await client.get(seal["url"], headers=clerk)
    assert image.status_code == 200 and hashlib.sha256(image.content).hexdigest() == seal["sha256"]
    assert image.headers["content-type"].startswith("image/")
    assert (await client.get(f"/api/v1/police/enterprises/{uscc}/images/other", headers=clerk)).status_code == 404
    missing = await client.get("/api/v1/police/enterprises/91110101MA00000000", headers=clerk)
    assert (missing.status_code, missing.json()["code"]) == (404, "police.not_filed")

    for headers in ({}, bearer(token), admin, bearer("agk_" + "x" * 43)):  # no key, users' tokens, a made-up key
        refused = await client.get(f"/api/v1/police/enterprises/{uscc}", headers=headers)
        assert refused.status_code == 401, refused.text
        assert (await client.get(seal["url"], headers=headers)).status_code == 401
    for method, url in (("GET", "/api/v1/filing"), ("GET", "/api/v1/media-sync/deliveries"),
                        ("GET", "/api/v1/agency-keys"), ("GET", "/api/v1/police/access-log"),
                        ("POST", "/api/v1/agency-keys"), ("GET", "/api/v1/filings")):
        assert (await client.request(method, url, headers=clerk)).status_code == 401, (method, url)

    log = (await client.get("/api/v1/police/access-log", params={"uscc": uscc}, headers=admin)).json()["items"]
    assert [(e["what"], e["status"], e["agency"], e["key_id"]) for e in reversed(log)][-2:] == [
        ("image:seal", 200, AGENCY, key_id), ("image:other", 404, AGENCY, key_id)]
    assert all(e["uscc"] == uscc for e in log) and log[0]["at"] >= log[-1]["at"]
    official = bearer(await login(client, (await create_official(client, admin["Authorization"][7:],
                                                                 level="national", region_code="000000"))["username"]))
    assert (await client.get("/api/v1/police/access-log", headers=official)).status_code == 403

    assert (await client.delete(f"/api/v1/agency-keys/{key_id}", headers=admin)).status_code == 204
    assert (await client.get(f"/api/v1/police/enterprises/{uscc}", headers=clerk)).status_code == 401
    assert (await client.delete("/api/v1/agency-keys/no-such-key", headers=admin)).status_code == 404


async def test_police_look_up_with_an_agency_key(system):
    await look_up_and_log(system.client)


async def test_police_look_up_embedded(embedded):
    await look_up_and_log(embedded.client)


async def test_daily_manifest_lists_what_was_sent_with_receipts_and_what_is_open(system):
    client = system.client
    admin = bearer(await admin_token(client))
    enterprise, _ = await confirmed_enterprise(client, wait_for_transactions=False)
    today = china_today().isoformat()

    async def all_sent():
        body = (await client.get("/api/v1/police/manifest", params={"date": today}, headers=admin)).json()
        mine = [d for d in body["sent"] if d["enterprise_id"] == enterprise["id"]]
        return body if len(mine) == 4 else None
    body = await eventually(all_sent, timeout=30)
    mine = [d for d in body["sent"] if d["enterprise_id"] == enterprise["id"]]
    assert all(d["receipt_id"] and d["status"] == "delivered" for d in mine)
    assert {d["kind"] for d in mine} == {"filing_record", "licence_original", "licence_copy", "seal"}
    assert all(d["enterprise_id"] != enterprise["id"] for d in body["unacknowledged"])
    assert body["sent_count"] == len(body["sent"])
    earlier = (await client.get("/api/v1/police/manifest", params={"date": "2020-01-01"}, headers=admin)).json()
    assert earlier["sent"] == [] and all(d["enterprise_id"] != enterprise["id"] for d in earlier["unacknowledged"])
    bad = await client.get("/api/v1/police/manifest", params={"date": "2020-13-01"}, headers=admin)
    assert bad.status_code == 422
    assert (await client.get("/api/v1/police/manifest", params={"date": today},
                             headers=bearer(await login(client, enterprise["username"])))).status_code == 403
