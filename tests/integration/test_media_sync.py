"""media-sync on real PostgreSQL, RabbitMQ and S3: confirmed filings' images reach the police
stub exactly once per idempotency key, through outages, random failures, slowness and re-drives.

Filing is driven directly: images go into the blob store and a ``FilingConfirmed`` is published
through an outbox (any runtime's outbox reaches the shared bus)."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from autocirc_gateway.routing import service_for
from autocirc_media_sync import redrive
from autocirc_media_sync.police.signing import KEY_ID_HEADER, SIGNATURE_HEADER, Signer
from autocirc_shared.blobs import blob_store_from_settings, content_key
from autocirc_shared.events.filing import FilingConfirmed, MediaRef
from autocirc_shared.events.media_sync import MediaDeliveryUpdated
from autocirc_shared.messaging.tables import inbox, outbox
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from tests.support.api import admin_token, bearer, make_uscc, stub_faults

KINDS = ("licence_original", "licence_copy", "seal")
MAX_ATTEMPTS = 12  # AUTOCIRC_MEDIA_SYNC_MAX_ATTEMPTS in tests/support/system.py


async def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


class Enterprise:
    """One test's enterprise: its images in the blob store, its confirmations on the bus."""

    def __init__(self, system) -> None:
        self.system = system
        self.id = str(uuid.uuid4())
        self.uscc = make_uscc()
        self.name = f"测试影像企业{self.id[:6]}"
        self.version = 0
        self.media: dict[str, MediaRef] = {}

    async def upload(self, *kinds: str) -> None:
        blobs = blob_store_from_settings(self.system.runtime("media-sync").settings)
        for kind in kinds:
            data = b"\x89PNG\r\n\x1a\n" + os.urandom(2048)
            key, digest = content_key(data)
            await blobs.put(key, data, "image/png")
            self.media[kind] = MediaRef(kind=kind, sha256=digest, key=key, content_type="image/png", size=len(data))

    async def confirm(self, changed: list[str], version: int | None = None,
                      media: dict[str, MediaRef] | None = None) -> None:
        """Publish the confirmation (the next version unless given, of the current images unless given)
        and wait until media-sync has applied it."""
        self.version = max(self.version, version or self.version + 1)
        version = version or self.version
        media = self.media if media is None else media
        event = FilingConfirmed(
            enterprise_id=self.id, version=version, enterprise_name=self.name, uscc=self.uscc,
            business_licence_no=None, types=["used_car_dealer"], region_code="110101",
            media=list(media.values()), changed_media=changed, confirmed_at=datetime.now(UTC),
            confirmed_by="test")
        identity = self.system.runtime("identity")
        async with identity.uow() as uow:
            uow.emit(event)
            await uow.commit()
        async with identity.db.sessionmaker() as session:
            rows = (await session.execute(select(outbox.c.message_id, outbox.c.envelope)
                                          .where(outbox.c.name == FilingConfirmed.NAME))).all()
        message_id = next(r.message_id for r in rows if r.envelope["payload"]["enterprise_id"] == self.id
                          and r.envelope["payload"]["version"] == version)
        media_sync = self.system.runtime("media-sync")

        async def applied():
            async with media_sync.db.sessionmaker() as session:
                return await session.scalar(select(inbox.c.message_id).where(inbox.c.message_id == message_id))

        await wait_for(applied)


@pytest.fixture
async def police(system):
    """The stub through the gateway; its faults are reset after each test (the system is shared)."""
    yield system.client
    response = await stub_faults(system.client)
    assert response.status_code == 200, response.text


@contextlib.asynccontextmanager
async def admin_client(system):
    """An admin client on the deliveries API: through the gateway once it routes the prefix."""
    headers = bearer(await admin_token(system.client))
    routed = service_for("/api/v1/media-sync/deliveries") == "media-sync"
    app = system.app if routed else system.runtime("media-sync").app
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://autocirc",
                                 headers=headers) as client:
        yield client


@pytest.fixture
async def admin(system):
    async with admin_client(system) as client:
        yield client


async def deliveries(admin, enterprise: Enterprise, records: bool = False) -> list[dict]:
    """The enterprise's image deliveries (with ``records``, its filing records' too)."""
    response = await admin.get("/api/v1/media-sync/deliveries",
                               params={"enterprise_id": enterprise.id, "page_size": 200})
    assert response.status_code == 200, response.text
    return [r for r in response.json()["items"] if records or r["kind"] != "filing_record"]


def all_have(expected: int, records: bool = False, **criteria):
    async def check(admin, enterprise):
        rows = await deliveries(admin, enterprise, records)
        ok = len(rows) == expected and all(all(c(r[k]) if callable(c) else r[k] == c for k, c in criteria.items())
                                           for r in rows)
        return rows if ok else None
    return check


async def wait_deliveries(admin, enterprise, expected: int, timeout: float = 30.0, records: bool = False,
                          **criteria) -> list[dict]:
    """Until the enterprise has ``expected`` image deliveries (with ``records``: deliveries) all matching."""
    check = all_have(expected, records, **criteria)
    return await wait_for(lambda: check(admin, enterprise), timeout=timeout)


async def stub_documents(police, enterprise) -> list[dict]:
    response = await police.get("/stub/police/documents", params={"uscc": enterprise.uscc})
    assert response.status_code == 200, response.text
    return response.json()


async def stub_stats(police, enterprise) -> dict:
    response = await police.get("/stub/police/stats", params={"uscc": enterprise.uscc})
    assert response.status_code == 200, response.text
    return response.json()


async def stub_stats_with(police, enterprise, predicate) -> dict | None:
    stats = await stub_stats(police, enterprise)
    return stats if predicate(stats) else None


async def set_faults(police, **faults) -> None:
    response = await stub_faults(police, **faults)
    assert response.status_code == 200, response.text


def assert_once_per_key(stats: dict, rows: list[dict]) -> None:
    """Each image row's key, and each filing record's, stored exactly once at the stub."""
    keys = {k["idempotency_key"]: k for k in stats["keys"]}
    assert {r["idempotency_key"] for r in rows} <= set(keys)
    assert len(keys) == len(rows) + stats["total_filings"]
    assert all(k["documents"] == 1 for k in keys.values()), stats
    assert stats["total_documents"] == len(rows)


async def test_confirmed_images_reach_the_police_once(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload(*KINDS)
    await enterprise.confirm(list(KINDS))

    rows = await wait_deliveries(admin, enterprise, 3, status="delivered")
    documents = await stub_documents(police, enterprise)
    assert sorted(d["sha256"] for d in documents) == sorted(m.sha256 for m in enterprise.media.values())
    assert {d["kind"]: d["receipt_id"] for d in documents} == {r["kind"]: r["receipt_id"] for r in rows}
    assert all(r["attempts"] == 1 and r["uscc"] == enterprise.uscc for r in rows)

    media_sync = system.runtime("media-sync")
    async with media_sync.db.sessionmaker() as session:
        envelopes = (await session.scalars(select(outbox.c.envelope).order_by(outbox.c.id)
                                           .where(outbox.c.name == MediaDeliveryUpdated.NAME))).all()
    events = [e["payload"] for e in envelopes if e["payload"]["enterprise_id"] == enterprise.id]
    for kind in KINDS:
        assert [e["status"] for e in events if e["kind"] == kind] == ["pending", "delivered"]
    metrics = await httpx.AsyncClient(transport=httpx.ASGITransport(app=media_sync.app),
                                      base_url="http://media-sync").get("/metrics")
    assert 'autocirc_media_deliveries{service="media-sync",status="failed"}' in metrics.text


async def test_outage_is_retried_and_delivers_without_duplicates(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload(*KINDS)
    await set_faults(police, down=True)
    await enterprise.confirm(list(KINDS))

    # the filing record goes first: it is retried, its images wait for it
    await wait_deliveries(admin, enterprise, 4, records=True, status="pending")
    await wait_for(lambda: stub_stats_with(police, enterprise, lambda s: s["total_faults"] >= 6))
    record = [r for r in await deliveries(admin, enterprise, records=True) if r["kind"] == "filing_record"][0]
    assert record["attempts"] >= 2 and "503" in record["last_error"]
    assert all(r["attempts"] == 0 for r in await deliveries(admin, enterprise))
    assert await stub_documents(police, enterprise) == []

    await set_faults(police, down=False)
    rows = await wait_deliveries(admin, enterprise, 3, status="delivered")
    assert len(await stub_documents(police, enterprise)) == 3
    assert_once_per_key(await stub_stats(police, enterprise), rows)
    record = [r for r in await deliveries(admin, enterprise, records=True) if r["kind"] == "filing_record"][0]
    assert record["status"] == "delivered" and record["attempts"] >= 2
    assert record["last_error"] is None and all(r["last_error"] is None for r in rows), "no stale error once delivered"


async def test_random_failures_and_delay_still_deliver_once(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload(*KINDS)
    await set_faults(police, fail_rate=0.5, delay_ms=100)
    await enterprise.confirm(list(KINDS))

    rows = await wait_deliveries(admin, enterprise, 3, status="delivered", timeout=60)
    documents = await stub_documents(police, enterprise)
    assert len(documents) == 3
    # Some answers were lost after the stub stored the document: the retry got the same receipt.
    assert {d["receipt_id"] for d in documents} == {r["receipt_id"] for r in rows}
    assert_once_per_key(await stub_stats(police, enterprise), rows)


async def test_reconfirmation_delivers_only_the_changed_image(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload(*KINDS)
    await enterprise.confirm(list(KINDS))
    first = await wait_deliveries(admin, enterprise, 3, status="delivered")

    await enterprise.confirm([])  # nothing changed
    await enterprise.confirm(["seal"])  # a repeat naming an image already delivered
    assert len(await deliveries(admin, enterprise)) == 3

    old_seal = enterprise.media["seal"].sha256
    await enterprise.upload("seal")
    await enterprise.confirm(["seal"])
    rows = await wait_deliveries(admin, enterprise, 4, status="delivered")
    new = [r for r in rows if r["id"] not in {f["id"] for f in first}]
    assert [(r["kind"], r["sha256"], r["filing_version"]) for r in new] == [
        ("seal", enterprise.media["seal"].sha256, 4)]
    documents = await stub_documents(police, enterprise)
    assert sorted(d["sha256"] for d in documents if d["kind"] == "seal") == sorted([old_seal, new[0]["sha256"]])
    assert len(documents) == 4


def seal_events(system, enterprise: Enterprise):
    async def read() -> list[dict]:
        async with system.runtime("media-sync").db.sessionmaker() as session:
            envelopes = (await session.scalars(select(outbox.c.envelope).order_by(outbox.c.id)
                                               .where(outbox.c.name == MediaDeliveryUpdated.NAME))).all()
        return [e["payload"] for e in envelopes
                if e["payload"]["enterprise_id"] == enterprise.id and e["payload"]["kind"] == "seal"]
    return read()


async def test_an_image_put_back_is_delivered_again_as_the_current_one(system, police, admin):
    """A → B → A: A goes to the police a second time, under a new key, and is their current seal again."""
    enterprise = Enterprise(system)
    await enterprise.upload(*KINDS)
    seal_a = enterprise.media["seal"]
    await enterprise.confirm(list(KINDS))
    await wait_deliveries(admin, enterprise, 3, status="delivered")
    await enterprise.upload("seal")
    seal_b = enterprise.media["seal"]
    await enterprise.confirm(["seal"])
    await wait_deliveries(admin, enterprise, 4, status="delivered")

    enterprise.media["seal"] = seal_a
    await enterprise.confirm(["seal"])
    rows = await wait_deliveries(admin, enterprise, 5, status="delivered")
    seals = sorted((r for r in rows if r["kind"] == "seal"), key=lambda r: r["filing_version"])
    assert [(r["sha256"], r["filing_version"]) for r in seals] == [(seal_a.sha256, 1), (seal_b.sha256, 2),
                                                                   (seal_a.sha256, 3)]
    assert len({r["idempotency_key"] for r in seals}) == 3 and len({r["receipt_id"] for r in seals}) == 3
    documents = await stub_documents(police, enterprise)
    current = [d for d in documents if d["current"]]
    assert {d["kind"]: d["sha256"] for d in current} == {k: m.sha256 for k, m in enterprise.media.items()}
    assert next(d for d in current if d["kind"] == "seal")["receipt_id"] == seals[-1]["receipt_id"]
    assert_once_per_key(await stub_stats(police, enterprise), rows)
    events = await seal_events(system, enterprise)
    assert [(e["sha256"], e["status"]) for e in events][-2:] == [(seal_a.sha256, "pending"),
                                                                 (seal_a.sha256, "delivered")]

    await enterprise.confirm(["seal"])  # a repeat naming the image already there: nothing new, its state again
    assert len(await deliveries(admin, enterprise)) == 5
    assert (await seal_events(system, enterprise))[-1] == events[-1]


async def test_a_late_older_confirmation_changes_nothing(system, police, admin):
    """Version 3 (seal A again) applied before version 2 (seal B) arrives, e.g. re-driven from the
    dead letters: B never reaches the police, A stays their current seal."""
    enterprise = Enterprise(system)
    await enterprise.upload("seal")
    seal_a = enterprise.media["seal"]
    await enterprise.confirm(["seal"])
    await wait_deliveries(admin, enterprise, 1, status="delivered")
    await enterprise.upload("seal")
    with_b = dict(enterprise.media)
    await enterprise.confirm(["seal"], version=3, media={"seal": seal_a})
    await enterprise.confirm(["seal"], version=2, media=with_b)
    await asyncio.sleep(0.5)
    rows = await deliveries(admin, enterprise)
    assert [(r["sha256"], r["filing_version"]) for r in rows] == [(seal_a.sha256, 1)]
    assert [d["sha256"] for d in await stub_documents(police, enterprise)] == [seal_a.sha256]


async def test_a_newer_image_supersedes_one_not_yet_delivered(system, police, admin):
    """B still undelivered (police down) when A is put back: B is given up, cannot be re-driven, and only
    A reaches the police once they are back."""
    enterprise = Enterprise(system)
    await enterprise.upload("seal")
    seal_a = enterprise.media["seal"]
    await enterprise.confirm(["seal"])
    await wait_deliveries(admin, enterprise, 1, status="delivered")
    await set_faults(police, down=True)
    await enterprise.upload("seal")
    await enterprise.confirm(["seal"])
    pending_b = await wait_for(lambda: _row(admin, enterprise, 2, lambda r: r["attempts"] >= 1))

    enterprise.media["seal"] = seal_a
    await enterprise.confirm(["seal"])
    superseded = await wait_for(lambda: _row(admin, enterprise, 2, lambda r: r["status"] == "failed"))
    assert superseded["id"] == pending_b["id"] and "取代" in superseded["last_error"]
    refused = await admin.post(f"/api/v1/media-sync/deliveries/{superseded['id']}/retry")
    assert refused.status_code == 409 and refused.json()["code"] == "delivery.superseded"
    assert refused.json()["detail"] == "该影像已被更新的备案版本取代，无需重新投递"

    await set_faults(police, down=False)
    third = await wait_for(lambda: _row(admin, enterprise, 3, lambda r: r["status"] == "delivered"))
    assert third["sha256"] == seal_a.sha256
    rest = await admin.post("/api/v1/media-sync/deliveries/retry-failed", params={"enterprise_id": enterprise.id})
    assert rest.status_code == 200 and rest.json() == {"count": 0}, "the superseded one is not re-driven"
    documents = await stub_documents(police, enterprise)
    assert [d["sha256"] for d in documents] == [seal_a.sha256, seal_a.sha256]
    assert [d["receipt_id"] for d in documents if d["current"]] == [third["receipt_id"]]
    events = [e for e in await seal_events(system, enterprise) if e["sha256"] == superseded["sha256"]]
    assert events[-1]["status"] == "failed"


async def _row(admin, enterprise: Enterprise, version: int, predicate) -> dict | None:
    rows = [r for r in await deliveries(admin, enterprise) if r["filing_version"] == version]
    return rows[0] if rows and predicate(rows[0]) else None


async def test_exhausted_budget_fails_and_is_redriven(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload(*KINDS)
    await set_faults(police, down=True)
    await enterprise.confirm(list(KINDS))
    failed = await wait_deliveries(admin, enterprise, 3, status="failed", attempts=MAX_ATTEMPTS)
    assert all("503" in r["last_error"] for r in failed)
    stats = await stub_stats(police, enterprise)
    assert stats["total_requests"] == 4 * MAX_ATTEMPTS and stats["total_documents"] == 0  # the record's too
    await set_faults(police, down=False)

    one = await admin.post(f"/api/v1/media-sync/deliveries/{failed[0]['id']}/retry")
    assert one.status_code == 200, one.text
    assert one.json()["status"] == "pending" and one.json()["attempts"] == 0
    await wait_for(lambda: admin_get_status(admin, failed[0]["id"], "delivered"))
    again = await admin.post(f"/api/v1/media-sync/deliveries/{failed[0]['id']}/retry")
    assert again.status_code == 409 and again.json()["code"] == "delivery.state"

    rest = await admin.post("/api/v1/media-sync/deliveries/retry-failed", params={"enterprise_id": enterprise.id})
    assert rest.status_code == 200 and rest.json() == {"count": 3}  # two images and the filing record
    rows = await wait_deliveries(admin, enterprise, 3, status="delivered")
    assert_once_per_key(await stub_stats(police, enterprise), rows)


async def admin_get_status(admin, delivery_id: str, status: str) -> bool:
    response = await admin.get(f"/api/v1/media-sync/deliveries/{delivery_id}")
    assert response.status_code == 200, response.text
    return response.json()["status"] == status


async def test_redrive_command_requeues_failed_deliveries(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload("seal")
    await set_faults(police, down=True)
    await enterprise.confirm(["seal"])
    await wait_deliveries(admin, enterprise, 1, status="failed")
    await set_faults(police, down=False)

    assert await redrive.run(enterprise.id, settings=system.runtime("media-sync").settings) == 2  # and the record
    await wait_deliveries(admin, enterprise, 1, status="delivered")
    assert len(await stub_documents(police, enterprise)) == 1


async def test_hanging_police_endpoint_times_out_without_blocking(system, police, admin):
    enterprise = Enterprise(system)
    await enterprise.upload("seal")
    await set_faults(police, delay_ms=60_000)
    await enterprise.confirm(["seal"])
    started = time.monotonic()
    assert (await admin.get("/api/v1/media-sync/deliveries")).status_code == 200
    assert (await stub_faults(police, "GET")).status_code == 200
    assert time.monotonic() - started < 1.0

    async def record_timed_out():  # the record goes first; the image waits for it
        rows = [r for r in await deliveries(admin, enterprise, records=True) if r["kind"] == "filing_record"]
        return rows if rows and rows[0]["attempts"] >= 1 and "超时" in (rows[0]["last_error"] or "") else None
    rows = await wait_for(record_timed_out)
    assert rows[0]["status"] == "pending"
    await set_faults(police, delay_ms=0)
    await wait_deliveries(admin, enterprise, 1, status="delivered")
    assert len(await stub_documents(police, enterprise)) == 1


def signed_document(system, image: bytes, **overrides) -> tuple[bytes, dict]:
    """A document signed with media-sync's active key, as its worker would send it."""
    media_sync = system.runtime("media-sync")
    body = json.dumps({"uscc": make_uscc(), "name": "签名测试企业", "kind": "seal",
                       "sha256": hashlib.sha256(image).hexdigest(), "content_type": "image/png",
                       "image_base64": base64.b64encode(image).decode(), **overrides}).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4()),
               "Authorization": f"Bearer {media_sync.settings.police_token}",
               **media_sync.app.state.police_keyring.signer.headers(body)}
    return body, headers


async def test_stub_checks_token_signature_and_checksum(system, police):
    image = os.urandom(512)
    body, headers = signed_document(system, image)

    async def post(content=body, **changes):
        return await police.post("/stub/police/documents", content=content, headers={**headers, **changes})

    assert (await post(Authorization="Bearer wrong")).status_code == 401
    assert (await post(Authorization="")).status_code == 401
    stranger = Signer(Ed25519PrivateKey.generate())
    wrong = await post(**stranger.headers(body))  # another key, unknown id
    assert wrong.status_code == 403 and wrong.json()["code"] == "police.signature"
    resigned = await post(**{SIGNATURE_HEADER: stranger.headers(body)[SIGNATURE_HEADER]})  # another key, our id
    assert resigned.status_code == 403 and "不符" in resigned.json()["detail"]
    assert (await post(content=body + b" ")).status_code == 403  # body changed after signing
    assert (await post(**{KEY_ID_HEADER: ""})).status_code == 403
    assert (await post(**{"Idempotency-Key": ""})).status_code == 400

    ok = await post()
    assert ok.status_code == 200, ok.text
    replay = await post()
    assert replay.json() == ok.json()

    other, other_headers = signed_document(system, os.urandom(512))
    conflict = await police.post("/stub/police/documents", content=other,
                                 headers={**other_headers, "Idempotency-Key": headers["Idempotency-Key"]})
    assert conflict.status_code == 409
    mismatched, bad_headers = signed_document(system, image, sha256=hashlib.sha256(b"other").hexdigest())
    response = await police.post("/stub/police/documents", content=mismatched, headers=bad_headers)
    assert response.status_code == 422 and response.json()["code"] == "police.sha256_mismatch"


async def test_embedded_mode_delivers_through_the_in_process_stub(embedded):
    """SQLite, the in-process bus, a local blob folder and no police URL: the same flow, no port."""
    enterprise = Enterprise(embedded)
    await enterprise.upload(*KINDS)
    await enterprise.confirm(list(KINDS))
    async with admin_client(embedded) as admin:
        rows = await wait_deliveries(admin, enterprise, 3, status="delivered")
    documents = await stub_documents(embedded.client, enterprise)
    assert {d["receipt_id"] for d in documents} == {r["receipt_id"] for r in rows}
