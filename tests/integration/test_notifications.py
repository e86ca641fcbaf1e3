"""The message centre (消息) fed by the bus, in both modes: a reviewer hears of a submission in its region,
the enterprise of the rejection (with the reason) and the confirmation; each once, e-mailed where an e-mail
is reserved (aiosmtplib to an aiosmtpd server on loopback)."""
from __future__ import annotations

from datetime import date

import pytest
from autocirc_portal.models import Contact, KnownOfficial
from autocirc_reports.usecases.reminders import remind
from autocirc_shared.outbound import Courier
from autocirc_shared.outbound.sms_http import HttpSmsGateway
from autocirc_shared.outbound.smtp import SmtpMailer

from tests.integration.test_reports import USED, reporting_enterprise, used_row
from tests.support.api import admin_token, bearer, create_official, login, register
from tests.support.flows import fill_filing
from tests.support.outbound import SmtpSink
from tests.support.waiting import eventually

NOTIFICATIONS = "/api/v1/notifications"
CHAOYANG = {"province_code": "110000", "city_code": "110100", "district_code": "110105", "street": "建国路1号"}


@pytest.fixture(scope="module")
def smtp():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(params=["system", "embedded"])
def notifying_system(request, smtp):
    system = request.getfixturevalue(request.param)
    state = system.runtime("portal").app.state
    saved = state.courier
    state.courier = Courier(SmtpMailer("127.0.0.1", smtp.port, "noreply@autocirc.test"),
                            HttpSmsGateway("http://127.0.0.1:9/unused"))
    yield system
    state.courier = saved


async def inbox(client, token: str, unread: bool = False) -> list[dict]:
    response = await client.get(NOTIFICATIONS, params={"unread": str(unread).lower()}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["items"]


def waiting_for(client, token: str, kind: str):
    async def probe():
        return [n for n in await inbox(client, token) if n["kind"] == kind]
    return probe


async def test_submission_rejection_and_confirmation_reach_the_right_inboxes(notifying_system, smtp):
    client = notifying_system.client
    admin = await admin_token(client)
    reviewer = await create_official(client, admin, level="district", region_code="110105", can_review=True)
    reviewer_token = await login(client, reviewer["username"])
    outsider = await login(client, (await create_official(client, admin, level="district", region_code="110108",
                                                          can_review=True))["username"])
    reviewer_mail = f"{reviewer['username']}@example.com"
    assert (await client.patch("/api/v1/me", json={"email": reviewer_mail}, headers=bearer(reviewer_token))
            ).status_code == 200
    enterprise = await register(client, residence=CHAOYANG)
    token = await login(client, enterprise["username"])
    enterprise_mail = f"e{enterprise['uscc'].lower()}@example.com"
    await client.patch("/api/v1/me", json={"email": enterprise_mail}, headers=bearer(token))
    await fill_filing(client, token, enterprise["username"])

    async def reviewer_known():  # the portal has heard of the reviewer and the e-mail before the submission
        async with notifying_system.runtime("portal").db.sessionmaker() as s:
            return (await s.get(KnownOfficial, reviewer["id"])) and (await s.get(Contact, reviewer["id"]))

    await eventually(reviewer_known)
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    submitted = await eventually(waiting_for(client, reviewer_token, "filing.submitted"))
    assert enterprise["name"] in submitted[0]["title"] and submitted[0]["read"] is False
    assert not [n for n in await inbox(client, outsider) if enterprise["name"] in n["title"]], "other regions hear nothing"
    mail = await eventually(lambda: _first(smtp.to(reviewer_mail)))
    assert enterprise["name"] in mail["subject"]

    async def reject():
        response = await client.post(f"/api/v1/filings/{enterprise['id']}/reject", json={"reason": "营业执照影像不清晰"},
                                     headers=bearer(reviewer_token))
        return response.status_code == 200
    await eventually(reject)
    rejected = await eventually(waiting_for(client, token, "filing.rejected"))
    assert len(rejected) == 1 and "营业执照影像不清晰" in rejected[0]["body"]
    assert "营业执照影像不清晰" in (await eventually(lambda: _first(smtp.to(enterprise_mail))))["text"]

    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    await eventually(lambda: _at_least(waiting_for(client, reviewer_token, "filing.submitted"), 2))
    assert (await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(reviewer_token))
            ).status_code == 200
    confirmed = await eventually(waiting_for(client, token, "filing.confirmed"))
    assert confirmed[0]["title"] == "备案信息已确认通过"

    unread = await inbox(client, token, unread=True)
    assert {n["kind"] for n in unread} == {"filing.rejected", "filing.confirmed"}
    assert (await client.post(f"{NOTIFICATIONS}/{rejected[0]['id']}/read", headers=bearer(token))).status_code == 204
    assert [n["kind"] for n in await inbox(client, token, unread=True)] == ["filing.confirmed"]
    other = await client.post(f"{NOTIFICATIONS}/{confirmed[0]['id']}/read", headers=bearer(reviewer_token))
    assert other.status_code == 404, "another recipient's message does not exist for you"
    assert (await client.get(NOTIFICATIONS, headers=bearer(admin))).status_code == 403

    revoked = await client.post(f"/api/v1/filings/{enterprise['id']}/revoke", json={"reason": "经营场所已不存在"},
                                headers=bearer(reviewer_token))
    assert revoked.status_code == 200, revoked.text
    told = await eventually(waiting_for(client, token, "filing.revoked"))
    assert len(told) == 1 and "经营场所已不存在" in told[0]["body"] and told[0]["title"] == "备案已被注销"


async def _first(items):
    return items[0] if items else None


async def _at_least(probe, count: int):
    found = await probe()
    return found if len(found) >= count else None


async def test_reports_remind_seven_days_ahead_and_after_the_deadline_once(notifying_system):
    client, reports = notifying_system.client, notifying_system.runtime("reports")
    _, late_token = await reporting_enterprise(notifying_system)
    _, filer_token = await reporting_enterprise(notifying_system)
    settings = reports.settings
    saved = settings.today
    try:
        settings.today = date(2026, 11, 5)  # October's monthly reports are due on 10 November
        filed = await client.post(USED, json={"period": "2026-10", "rows": [used_row("suv", 0, 0)]},
                                  headers=bearer(filer_token))
        assert filed.status_code == 201, filed.text
        settings.today = date(2026, 11, 2)
        await remind(reports)
        settings.today = date(2026, 11, 3)
        assert await remind(reports) >= 1 and await remind(reports) == 0, "announced once"
        due = await eventually(waiting_for(client, late_token, "report.due"))
        assert "二手车交易月报（2026-10）" in due[0]["title"] and "2026年11月10日" in due[0]["body"]
        settings.today = date(2026, 11, 11)
        await remind(reports)
        overdue = await eventually(waiting_for(client, late_token, "report.overdue"))
        assert len(overdue) == 1 and "已逾期" in overdue[0]["title"]
        assert not [n for n in await inbox(client, filer_token) if n["kind"].startswith("report.")], \
            "a filed report is neither due nor overdue"
    finally:
        settings.today = saved
