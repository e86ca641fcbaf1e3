"""The police receive the filing record, not only images (issue 12), through the gateway in both modes:
confirm → the record (``confirmed``) and every image; change → the new version (``changed``) and only the
changed image; revoke → a ``revoked`` record. Per enterprise nothing older arrives after something newer."""
from __future__ import annotations

import base64

from autocirc_media_sync.police.signing import Signer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.integration.test_filing import upload
from tests.support.api import admin_token, bearer, create_official, login
from tests.support.flows import confirmed_enterprise
from tests.support.images import png
from tests.support.waiting import eventually

RECORD_FIELDS = {"uscc", "name", "types", "residence", "business_address", "legal_representative", "status",
                 "filing_version", "confirmed_at", "authority_region", "images"}


async def stub_filings(client, uscc: str) -> list[dict]:
    response = await client.get("/stub/police/filings", params={"uscc": uscc})
    assert response.status_code == 200, response.text
    return response.json()


async def stub_documents(client, uscc: str) -> list[dict]:
    return (await client.get("/stub/police/documents", params={"uscc": uscc})).json()


async def until(client, uscc: str, records: int, documents: int) -> tuple[list[dict], list[dict]]:
    async def arrived():
        got = await stub_filings(client, uscc), await stub_documents(client, uscc)
        return got if (len(got[0]), len(got[1])) == (records, documents) else None
    return await eventually(arrived, timeout=30)


async def confirm_change_revoke(client) -> None:
    enterprise, token = await confirmed_enterprise(client, wait_for_transactions=False)
    uscc, base = enterprise["uscc"], f"/api/v1/filings/{enterprise['id']}"
    records, documents = await until(client, uscc, 1, 3)
    first = records[0]["record"]
    assert RECORD_FIELDS <= set(first) and (first["status"], first["filing_version"]) == ("confirmed", 1)
    assert first["uscc"] == uscc and first["legal_representative"] == "王五" and first["residence"]
    assert {i["kind"]: i["sha256"] for i in first["images"]} == {d["kind"]: d["sha256"] for d in documents}
    assert records[0]["received_at"] <= min(d["received_at"] for d in documents), "the record goes first"

    reviewer = bearer(await login(client, (await create_official(
        client, await admin_token(client), level="district", region_code=enterprise["residence"]["district_code"],
        can_review=True))["username"]))
    new_seal = (await upload(client, token, "seal", png(seed=4242))).json()["sha256"]
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).json()["status"] == "changed"
    assert (await client.post(f"{base}/confirm", headers=reviewer)).status_code == 200
    records, documents = await until(client, uscc, 2, 4)
    change = records[1]
    assert (change["status"], change["filing_version"]) == ("changed", 2)
    assert [d["kind"] for d in documents if d["received_at"] > change["received_at"]] == ["seal"]
    assert documents[-1]["sha256"] == new_seal, "only the changed image follows the change"

    assert (await client.post(f"{base}/revoke", json={"reason": "吊销营业执照"}, headers=reviewer)).status_code == 200
    records, _ = await until(client, uscc, 3, 4)
    assert [(r["status"], r["filing_version"]) for r in records] == [("confirmed", 1), ("changed", 2), ("revoked", 3)]
    assert records[-1]["record"]["reason"] == "吊销营业执照"
    assert records[-1]["received_at"] >= documents[-1]["received_at"], "the revocation after the change's image"


async def test_records_and_images_reach_the_police_in_order(system):
    await confirm_change_revoke(system.client)


async def test_records_and_images_reach_the_police_in_order_embedded(embedded):
    await confirm_change_revoke(embedded.client)


async def test_a_signature_the_police_refuse_fails_the_delivery_with_the_reason_and_is_redriven(system):
    """The stub pins a key media-sync does not sign with: the record is refused (failed, with why); once the
    police trust the published keys again, the admin's re-drive delivers it."""
    client = system.client
    published = (await client.get("/api/v1/police/keys")).json()["keys"]
    assert [k["status"] for k in published] == ["active"] and published[0]["algorithm"] == "Ed25519"
    stranger = Signer(Ed25519PrivateKey.generate()).key_id
    pin = {"keys": [{"key_id": stranger, "public_key": base64.b64encode(
        Ed25519PrivateKey.generate().public_key().public_bytes_raw()).decode()}]}
    admin = bearer(await admin_token(client))
    assert (await client.put("/stub/police/trusted-keys", json=pin, headers=admin)).status_code == 200
    try:
        enterprise, _ = await confirmed_enterprise(client, wait_for_transactions=False)

        async def failed():
            rows = (await client.get("/api/v1/media-sync/deliveries", headers=admin,
                                     params={"enterprise_id": enterprise["id"], "status": "failed"})).json()["items"]
            return [r for r in rows if r["kind"] == "filing_record"]
        record = (await eventually(failed, timeout=30))[0]
        assert "签名" in record["last_error"] and record["attempts"] == 1, record
        assert await stub_filings(client, enterprise["uscc"]) == []
    finally:
        assert (await client.delete("/stub/police/trusted-keys", headers=admin)).status_code == 204
    retried = await client.post(f"/api/v1/media-sync/deliveries/{record['id']}/retry", headers=admin)
    assert retried.status_code == 200, retried.text
    # its images, no longer waiting for a record that failed, may have been refused the same way meanwhile
    rest = await client.post("/api/v1/media-sync/deliveries/retry-failed", headers=admin,
                             params={"enterprise_id": enterprise["id"]})
    assert rest.status_code == 200, rest.text
    records, _ = await until(client, enterprise["uscc"], 1, 3)
    assert records[0]["status"] == "confirmed"
