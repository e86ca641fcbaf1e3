"""RELIABILITY scenario 8, combined: the police endpoint down for a while, then slow, then failing half
its calls (half of those after it stored the document: the answer is lost), then well again.

Enterprises file for real (register, upload three images each, an official confirms) while the stub is
down. Afterwards every image is at the stub exactly once (delivered = uploaded, duplicates = 0) and the
retry rate while it was down is reported. tests/integration/test_media_sync.py covers each fault alone."""
from __future__ import annotations

import asyncio
import time

from tests.integration.test_media_sync import admin_client, deliveries, set_faults
from tests.support.api import HANGZHOU_XIHU
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.waiting import eventually

ENTERPRISES = 8
IMAGES = 3  # licence original and copy, seal
DOWN_SECONDS, SLOW_SECONDS, FLAKY_SECONDS = 12.0, 3.0, 8.0


class Counted:
    def __init__(self, enterprise: dict) -> None:
        self.id = enterprise["id"]
        self.uscc = enterprise["uscc"]


async def stats_of(client, enterprises) -> list[dict]:
    async def one(e):
        response = await client.get("/stub/police/stats", params={"uscc": e.uscc})
        assert response.status_code == 200, response.text
        return response.json()
    return await asyncio.gather(*(one(e) for e in enterprises))


async def total(client, enterprises, field: str) -> int:
    return sum(s[field] for s in await stats_of(client, enterprises))


async def test_police_down_then_slow_then_flaky_every_image_delivered_once(faulty_system):
    system = faulty_system
    client = system.client
    await set_faults(client, down=True)
    try:
        registered = await asyncio.gather(*(confirmed_enterprise(client, residence=HANGZHOU_XIHU,
                                                                 wait_for_transactions=False)
                                            for _ in range(ENTERPRISES)))
        enterprises = [Counted(e) for e, _ in registered]
        async with admin_client(system) as admin:
            async def all_queued():
                rows = [r for e in enterprises for r in await deliveries(admin, e)]
                return len(rows) == ENTERPRISES * IMAGES
            await eventually(all_queued, timeout=60)
            down_from, calls_before = time.monotonic(), await total(client, enterprises, "total_requests")
            await asyncio.sleep(DOWN_SECONDS)
            down_calls = await total(client, enterprises, "total_requests") - calls_before
            down_minutes = (time.monotonic() - down_from) / 60
            assert await total(client, enterprises, "total_documents") == 0

            await set_faults(client, delay_ms=1800)  # under media-sync's 2 s timeout: slow, but answers
            await asyncio.sleep(SLOW_SECONDS)
            delivered_slow = await total(client, enterprises, "total_documents")
            await set_faults(client, fail_rate=0.5)
            await asyncio.sleep(FLAKY_SECONDS)
            await set_faults(client)
            recovered = time.monotonic()

            async def all_delivered():
                rows = [r for e in enterprises for r in await deliveries(admin, e)]
                return rows if all(r["status"] == "delivered" for r in rows) else None

            rows = await eventually(all_delivered, timeout=120)
            settle = time.monotonic() - recovered
            assert all(r["status"] != "failed" for r in rows)
        stats = await stats_of(client, enterprises)
        documents = [d for e in enterprises
                     for d in (await client.get("/stub/police/documents", params={"uscc": e.uscc})).json()]
    finally:
        await set_faults(client)
    uploaded = ENTERPRISES * IMAGES
    per_key = [k["documents"] for s in stats for k in s["keys"]]
    duplicates = sum(n - 1 for n in per_key if n > 1) + (len(documents) - len({(d["uscc"], d["kind"], d["sha256"])
                                                                                  for d in documents}))
    report("police_outage", uploaded=uploaded, delivered=len(documents), duplicates_at_stub=duplicates,
           calls_per_minute_while_down=down_calls / down_minutes, down_seconds=DOWN_SECONDS,
           delivered_while_slow=delivered_slow, replays_answered=sum(s["total_replays"] for s in stats),
           faults=sum(s["total_faults"] for s in stats), requests=sum(s["total_requests"] for s in stats),
           seconds_to_deliver_after_recovery=settle)
    assert len(rows) == uploaded and len(documents) == uploaded and duplicates == 0
    assert {d["receipt_id"] for d in documents} == {r["receipt_id"] for r in rows}
    assert down_calls > 0
