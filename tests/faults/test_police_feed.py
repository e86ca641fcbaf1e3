"""RELIABILITY scenarios 16 and 17: the police feed of filing records and images.

16. The stub stores each message and then drops 30 % of its answers (``lose_answer_rate``): every message
    is delivered, and nothing is stored twice (per idempotency key, per image, per filing version).
17. Enterprises are confirmed, changed and revoked while the police endpoint is down, then while it fails
    half its calls: each enterprise's records arrive as v1 confirmed, v2 changed, v3 revoked, each change's
    image between its record and the next one — a newer version is never overtaken by an older one."""
from __future__ import annotations

import asyncio
import time

from tests.integration.test_filing import upload
from tests.integration.test_media_sync import set_faults
from tests.support.api import HANGZHOU_XIHU, admin_token, bearer, create_official, login
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.images import png
from tests.support.waiting import eventually

ENTERPRISES = 4


async def stub(client, what: str, uscc: str):
    response = await client.get(f"/stub/police/{what}", params={"uscc": uscc})
    assert response.status_code == 200, response.text
    return response.json()


async def all_deliveries(client, admin: dict, enterprises: list[dict]) -> list[dict]:
    rows = []
    for e in enterprises:
        response = await client.get("/api/v1/media-sync/deliveries", headers=admin,
                                    params={"enterprise_id": e["id"], "page_size": 200})
        rows += response.json()["items"]
    return rows


def superseded(row: dict) -> bool:
    return row["status"] == "failed" and "取代" in (row["last_error"] or "")


async def delivered(client, admin, enterprises, expected: int) -> list[dict]:
    """Once all ``expected`` deliveries are delivered or superseded (never sent): the delivered ones."""
    async def done():
        rows = await all_deliveries(client, admin, enterprises)
        finished = len(rows) == expected and all(r["status"] == "delivered" or superseded(r) for r in rows)
        return [r for r in rows if r["status"] == "delivered"] if finished else None
    return await eventually(done, timeout=90)


async def stored_twice(client, enterprises) -> tuple[int, int, int]:
    """(records stored, images stored, stored twice: per key, per image, per filing version)."""
    records = images = twice = 0
    for e in enterprises:
        stats = await stub(client, "stats", e["uscc"])
        filings, documents = await stub(client, "filings", e["uscc"]), await stub(client, "documents", e["uscc"])
        twice += sum(k["documents"] - 1 for k in stats["keys"] if k["documents"] > 1)
        twice += len(documents) - len({(d["kind"], d["sha256"]) for d in documents})
        twice += len(filings) - len({f["filing_version"] for f in filings})
        records, images = records + len(filings), images + len(documents)
    return records, images, twice


async def test_answers_lost_after_storing_deliver_everything_once(faulty_system):
    client = faulty_system.client
    admin = bearer(await admin_token(client))
    await set_faults(client, lose_answer_rate=0.3)
    started = time.monotonic()
    try:
        enterprises = [e for e, _ in await asyncio.gather(*(
            confirmed_enterprise(client, residence=HANGZHOU_XIHU, wait_for_transactions=False)
            for _ in range(ENTERPRISES)))]
        rows = await delivered(client, admin, enterprises, ENTERPRISES * 4)
        seconds = time.monotonic() - started
    finally:
        await set_faults(client)
    records, images, twice = await stored_twice(client, enterprises)
    stats = [await stub(client, "stats", e["uscc"]) for e in enterprises]
    replays = sum(s["total_replays"] for s in stats)
    report("police_answers_lost", lose_answer_rate=0.3, sent=len(rows), delivered=records + images,
           stored_twice=twice, answers_lost_replayed=replays,
           requests=sum(s["total_requests"] for s in stats), seconds_to_deliver=seconds)
    assert records + images == len(rows) == ENTERPRISES * 4 and twice == 0
    assert replays > 0, "some answers were lost and the retry got the stored receipt"


async def test_records_arrive_in_version_order_through_outages(faulty_system):
    enterprises_count = 2  # seven messages each; keeps the scenario under ~20 s
    client = faulty_system.client
    admin_headers = bearer(await admin_token(client))
    reviewer = bearer(await login(client, (await create_official(
        client, await admin_token(client), level="district", region_code=HANGZHOU_XIHU["district_code"],
        can_review=True))["username"]))
    await set_faults(client, down=True)
    started = time.monotonic()
    try:
        confirmed = await asyncio.gather(*(confirmed_enterprise(client, residence=HANGZHOU_XIHU,
                                                                wait_for_transactions=False)
                                           for _ in range(enterprises_count)))
        enterprises = [e for e, _ in confirmed]
        for i, (enterprise, token) in enumerate(confirmed):  # change the seal, confirm, revoke: all while down
            assert (await upload(client, token, "seal", png(seed=7000 + i))).status_code == 201
            assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
            base = f"/api/v1/filings/{enterprise['id']}"
            assert (await client.post(f"{base}/confirm", headers=reviewer)).status_code == 200
            assert (await client.post(f"{base}/revoke", json={"reason": "故障测试注销"},
                                      headers=reviewer)).status_code == 200
        await asyncio.sleep(2)
        await set_faults(client, fail_rate=0.5)
        await asyncio.sleep(3)
        await set_faults(client)
        # 3 records, 3 images of v1 (the seal superseded by v2's before it got through), v2's seal
        rows = await delivered(client, admin_headers, enterprises, enterprises_count * 7)
        seconds = time.monotonic() - started
    finally:
        await set_faults(client)
    overtaken = 0
    for enterprise in enterprises:
        filings = await stub(client, "filings", enterprise["uscc"])
        documents = await stub(client, "documents", enterprise["uscc"])
        order = [(f["status"], f["filing_version"]) for f in filings]
        overtaken += order != [("confirmed", 1), ("changed", 2), ("revoked", 3)]
        at = [f["received_at"] for f in filings]
        window = {"licence_original": (0, 1), "licence_copy": (0, 1), "seal": (1, 2)}  # seal: v2's
        overtaken += len(documents) != 3
        overtaken += sum(not (at[window[d["kind"]][0]] <= d["received_at"] <= at[window[d["kind"]][1]])
                         for d in documents)
    records, images, twice = await stored_twice(client, enterprises)
    report("police_feed_order", enterprises=enterprises_count, sent=len(rows), delivered=records + images,
           overtaken=overtaken, stored_twice=twice, superseded_before_sending=enterprises_count * 7 - len(rows),
           seconds_to_deliver=seconds)
    assert overtaken == 0 and twice == 0 and records + images == len(rows)
