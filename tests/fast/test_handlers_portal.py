"""portal's handlers: recipients as identity announces them; filing's decisions and reports' reminders become
one notification each (and one e-mail where an address is reserved)."""
from __future__ import annotations

from tests.fast import events

NOTIFICATIONS = "SELECT kind, title FROM notifications WHERE recipient_id = :r ORDER BY created_at"


async def known(portal) -> str:
    registered = events.registered()
    await portal.deliver_twice(registered)
    return registered.enterprise_id


async def test_recipients_are_known_and_follow_their_region(lone):
    portal = await lone("portal")
    enterprise_id = await known(portal)
    await portal.deliver_twice(events.updated(enterprise_id, "110102"))
    assert await portal.rows("SELECT region_code FROM enterprises WHERE enterprise_id = :e", e=enterprise_id) == [
        {"region_code": "110102"}]
    official = events.official()
    await portal.deliver_twice(official)
    assert await portal.rows("SELECT can_review FROM officials WHERE official_id = :o", o=official.official_id) == [
        {"can_review": 1}]
    await portal.deliver_twice(events.contact(enterprise_id, "dealer@example.com"))
    assert await portal.rows("SELECT email FROM contacts WHERE recipient_id = :r", r=enterprise_id) == [
        {"email": "dealer@example.com"}]


async def test_filing_decisions_notify_the_enterprise_once_and_mail_its_reserved_address(lone):
    portal = await lone("portal")
    enterprise_id = await known(portal)
    await portal.deliver_twice(events.contact(enterprise_id, "dealer@example.com"))
    for event in (events.rejected(enterprise_id), events.confirmed(enterprise_id), events.revoked(enterprise_id)):
        await portal.deliver_twice(event)
    notified = await portal.rows(NOTIFICATIONS, r=enterprise_id)
    assert len(notified) == 3 and len({row["kind"] for row in notified}) == 3
    mails = await portal.rows("SELECT subject FROM outgoing_mail WHERE \"to\" = 'dealer@example.com'")
    assert len(mails) == 3 and all(m["subject"].startswith("【全国汽车流通信息管理应用】") for m in mails)


async def test_a_submission_reaches_each_reviewer_of_its_region_once(lone):
    portal = await lone("portal")
    enterprise_id = await known(portal)
    reviewer, elsewhere = events.official(), events.official(region_code="330106")
    for event in (reviewer, elsewhere):
        await portal.deliver_twice(event)
    await portal.deliver_twice(events.submitted(enterprise_id))
    assert len(await portal.rows(NOTIFICATIONS, r=reviewer.official_id)) == 1
    assert await portal.rows(NOTIFICATIONS, r=elsewhere.official_id) == []


async def test_a_report_reminder_notifies_once(lone):
    portal = await lone("portal")
    enterprise_id = await known(portal)
    await portal.deliver_twice(events.reminder(enterprise_id, "due"))
    await portal.deliver_twice(events.reminder(enterprise_id, "overdue"))
    assert len(await portal.rows(NOTIFICATIONS, r=enterprise_id)) == 2
