"""media-sync's handlers: a confirmed filing queues its record and changed images for the police once; a
revocation queues the record of the revocation."""
from __future__ import annotations

from tests.fast import events

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
