"""media-sync's handlers: a confirmed filing queues its record and changed images for the police once; a
revocation queues the record of the revocation."""
from __future__ import annotations

import hashlib

from tests.fast import events
from tests.support.images import png

DELIVERIES = "SELECT kind, status, filing_version FROM deliveries WHERE enterprise_id = :e ORDER BY kind, filing_version"


async def test_a_confirmation_queues_its_record_and_images_once(lone):
    media_sync = await lone("media-sync")
    enterprise_id = events.new_id()
    await media_sync.deliver_twice(events.confirmed(enterprise_id, media=[events.media("seal")],
                                                    changed_media=["seal"]))
    queued = await media_sync.rows(DELIVERIES, e=enterprise_id)
    assert [row["status"] for row in queued] == ["pending"] * 2
    kinds = {row["kind"] for row in queued}
    assert len(kinds) == 2 and "seal" in kinds  # the filing record and the changed image


async def test_a_revocation_queues_the_record_once(lone):
    media_sync = await lone("media-sync")
    enterprise_id = events.new_id()
    await media_sync.deliver_twice(events.confirmed(enterprise_id))
    before = await media_sync.rows(DELIVERIES, e=enterprise_id)
    await media_sync.deliver_twice(events.revoked(enterprise_id, version=2))
    after = await media_sync.rows(DELIVERIES, e=enterprise_id)
    assert len(after) == len(before) + 1
    assert [row["filing_version"] for row in after if row not in before] == [2]


async def test_the_worker_delivers_the_record_and_image_to_the_police_stub_once(lone):
    """The delivery use case, driven by hand (the lone service runs no background worker): claim, attempt, record;
    the image's queueing and its outcome are each announced once for filing."""
    from autocirc_media_sync.police.http import police_client_from_settings
    from autocirc_media_sync.usecases.worker import DeliveryWorker

    media_sync = await lone("media-sync")
    runtime = media_sync.runtime
    image = png(seed=7)
    sha256 = hashlib.sha256(image).hexdigest()
    ref = events.media("seal", sha256)
    await runtime.app.state.blobs.put(ref.key, image, "image/png")
    enterprise_id = events.new_id()
    await media_sync.deliver_twice(events.confirmed(enterprise_id, media=[ref], changed_media=["seal"]))

    police = police_client_from_settings(runtime.settings, runtime.app.state.police_keyring.signer,
                                         stub_app=runtime.app)
    worker = DeliveryWorker(runtime.uow, police, runtime.app.state.blobs, runtime.settings)
    try:
        attempted = []  # (the other tests' deliveries go too: the images without a blob fail for good)
        for _ in range(10):
            claimed = await worker.claim(50)  # the record first; its images wait for it
            if not claimed:
                break
            for d in claimed:
                await worker.attempt(d)
                attempted += [d.kind] if d.enterprise_id == enterprise_id else []
        assert len(attempted) == 2 and "seal" in attempted, attempted
    finally:
        await police.aclose()
    assert [row["status"] for row in await media_sync.rows(DELIVERIES, e=enterprise_id)] == ["delivered"] * 2
    assert len(await media_sync.rows("SELECT receipt_id FROM police_stub_documents WHERE sha256 = :s", s=sha256)) == 1
    announced = [e.payload for e in await media_sync.emitted("media_sync.delivery_updated.v1")
                 if e.payload["enterprise_id"] == enterprise_id]
    assert [(a["kind"], a["status"]) for a in announced] == [("seal", "pending"), ("seal", "delivered")]
