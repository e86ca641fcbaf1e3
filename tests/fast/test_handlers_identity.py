"""identity's handlers, each applied once and delivered twice (the inbox skips the copy)."""
from __future__ import annotations

import json

from tests.fast import events
from tests.support.api import register


async def identity_enterprise(alone) -> str:
    async with alone.client() as client:
        return (await register(client))["id"]


async def test_audit_entries_join_the_feed_once(lone):
    identity = await lone("identity")
    event = events.audit()
    await identity.deliver_twice(event)
    rows = await identity.rows("SELECT action, service FROM audit_feed WHERE entry_id = :e", e=event.entry_id)
    assert rows == [{"action": "transactions.export", "service": "transactions"}]


async def test_review_right_applied_is_noted_on_the_official(lone):
    identity = await lone("identity")
    admin = (await identity.rows("SELECT id FROM accounts WHERE username = 'admin'"))[0]["id"]
    event = events.review_right(admin)
    await identity.deliver_twice(event)
    [row] = await identity.rows("SELECT review_applied_at FROM accounts WHERE id = :a", a=admin)
    assert row["review_applied_at"] is not None


async def test_a_submitted_filing_marks_the_enterprise_filed(lone):
    identity = await lone("identity")
    enterprise_id = await identity_enterprise(identity)
    await identity.deliver_twice(events.submitted(enterprise_id))
    assert await identity.rows("SELECT filed FROM enterprises WHERE id = :e", e=enterprise_id) == [{"filed": 1}]


async def test_a_confirmed_move_changes_the_residence_and_is_announced_once(lone):
    identity = await lone("identity")
    enterprise_id = await identity_enterprise(identity)
    pending = {"province_code": "110000", "city_code": "110100", "district_code": "110102", "street": "新街1号"}
    async with identity.runtime.db.engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE enterprises SET pending_residence = ? WHERE id = ?",
                                   (json.dumps(pending), enterprise_id))
    await identity.deliver_twice(events.confirmed(enterprise_id, region_code="110102"))
    rows = await identity.rows("SELECT district_code, street, COALESCE(pending_residence, 'null') AS pending FROM enterprises WHERE id = :e",
                               e=enterprise_id)
    assert rows == [{"district_code": "110102", "street": "新街1号", "pending": "null"}]
    announced = [e for e in await identity.emitted("identity.enterprise_updated.v1")
                 if e.payload["enterprise_id"] == enterprise_id]
    assert [e.payload["region_code"] for e in announced] == ["110102"]


async def test_a_rejected_change_ends_the_requested_move(lone):
    identity = await lone("identity")
    enterprise_id = await identity_enterprise(identity)
    async with identity.runtime.db.engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE enterprises SET pending_residence = ? WHERE id = ?",
                                   (json.dumps({"district_code": "110102"}), enterprise_id))
    await identity.deliver_twice(events.rejected(enterprise_id))
    rows = await identity.rows("SELECT district_code, COALESCE(pending_residence, 'null') AS pending FROM enterprises WHERE id = :e",
                               e=enterprise_id)
    assert rows == [{"district_code": "110101", "pending": "null"}]
