"""Self-service password reset (API.md "Self-service password reset") in both modes, through the gateway.

The codes travel through the real adapters (aiosmtplib to an aiosmtpd server on loopback, httpx to an HTTP
sink standing in for the SMS gateway); tests read the code from what those servers received.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from autocirc_identity.models import PasswordResetCode
from autocirc_shared.outbound import Courier
from autocirc_shared.outbound.sms_http import HttpSmsGateway
from autocirc_shared.outbound.smtp import SmtpMailer
from sqlalchemy import func, select, update

from tests.support.api import PASSWORD, admin_token, bearer, create_official, login, register
from tests.support.outbound import HttpSink, SmtpSink
from tests.support.waiting import eventually

RESET = "/api/v1/auth/password-reset"
NEW_PASSWORD = "Brand9NewPass"


@pytest.fixture(scope="module")
def sinks():
    with SmtpSink() as smtp, HttpSink() as sms:
        yield smtp, sms


@pytest.fixture(params=["system", "embedded"])
def reset_system(request, sinks):
    """Either mode, its identity sending through SMTP and the SMS gateway on loopback."""
    system = request.getfixturevalue(request.param)
    smtp, sms = sinks
    state = system.runtime("identity").app.state
    saved = state.courier
    state.courier = Courier(SmtpMailer("127.0.0.1", smtp.port, "noreply@autocirc.test"), HttpSmsGateway(sms.url))
    yield system
    state.courier = saved


def code_in(text: str) -> str:
    return re.search(r"验证码为 (\d{6})", text).group(1)


async def account_with_email(client) -> tuple[dict, str, str]:
    enterprise = await register(client, filler_mobile=f"139{datetime.now().microsecond:06d}00"[:11])
    token = await login(client, enterprise["uscc"])
    address = f"u{enterprise['uscc'].lower()}@example.com"
    patched = await client.patch("/api/v1/me", json={"email": address}, headers=bearer(token))
    assert patched.status_code == 200, patched.text
    assert (patched.json()["email"], patched.json()["mobile"]) == (address, enterprise["filler_mobile"])
    return enterprise, token, address


async def ask(client, username: str, channel: str = "email"):
    return await client.post(RESET, json={"username": username, "channel": channel})


async def confirm(client, username: str, code: str, password: str = NEW_PASSWORD):
    return await client.post(f"{RESET}/confirm", json={"username": username, "code": code, "new_password": password})


async def test_reset_by_email_and_by_sms_replaces_the_password(reset_system, sinks):
    client, (smtp, sms) = reset_system.client, sinks
    enterprise, _, address = await account_with_email(client)
    asked = await ask(client, enterprise["uscc"])
    unknown = await ask(client, "91110000NOSUCH0000")
    assert (asked.status_code, unknown.status_code) == (202, 202)
    assert asked.json() == unknown.json(), "the same answer for an unknown name"
    mail = await eventually(lambda: _first(smtp.to(address)))
    assert mail["subject"] == "密码重置验证码"
    code = code_in(mail["text"])

    wrong = await confirm(client, enterprise["uscc"], f"{(int(code) + 1) % 10**6:06d}")
    assert wrong.status_code == 422 and wrong.json()["code"] == "reset.code_wrong", wrong.text
    weak = await confirm(client, enterprise["uscc"], code, "short")
    assert weak.status_code == 422 and weak.json()["code"] == "password.weak"
    assert (await confirm(client, enterprise["uscc"], code)).status_code == 204
    old = await client.post("/api/v1/auth/login", json={"username": enterprise["uscc"], "password": PASSWORD})
    assert old.status_code == 401, "the old password stops working"
    await login(client, enterprise["uscc"], NEW_PASSWORD)
    again = await confirm(client, enterprise["uscc"], code, "Another9Pass")
    assert again.status_code == 422 and again.json()["code"] == "reset.code_invalid", "a used code is dead"

    assert (await ask(client, enterprise["uscc"], "sms")).status_code == 202
    text = await eventually(lambda: _first(sms.to(enterprise["filler_mobile"])))
    assert (await confirm(client, enterprise["uscc"], code_in(text["text"]), "Third9Pass")).status_code == 204
    await login(client, enterprise["uscc"], "Third9Pass")


async def test_five_wrong_tries_burn_the_code_and_codes_are_hashed_and_expire(reset_system, sinks):
    client, (smtp, _) = reset_system.client, sinks
    enterprise, _, address = await account_with_email(client)
    await ask(client, enterprise["uscc"])
    code = code_in((await eventually(lambda: _first(smtp.to(address))))["text"])
    wrong = f"{(int(code) + 7) % 10**6:06d}"
    answers = [(await confirm(client, enterprise["uscc"], wrong)).json()["code"] for _ in range(5)]
    assert answers == ["reset.code_wrong"] * 4 + ["auth.locked"]
    sixth = await confirm(client, enterprise["uscc"], code)
    assert sixth.status_code == 429 and sixth.json()["code"] == "auth.locked" and "Retry-After" in sixth.headers
    await login(client, enterprise["uscc"])  # nothing changed

    identity = reset_system.runtime("identity")
    async with identity.db.sessionmaker() as s:
        hashes = (await s.scalars(select(PasswordResetCode.code_hash))).all()
    assert hashes and all(h.startswith("$argon2id$") and code not in h for h in hashes), "codes hashed at rest"

    smtp.messages.clear()
    await ask(client, enterprise["uscc"])
    fresh = code_in((await eventually(lambda: _first(smtp.to(address))))["text"])
    async with identity.db.sessionmaker() as s:
        await s.execute(update(PasswordResetCode).where(PasswordResetCode.state == "live")
                        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await s.commit()
    expired = await confirm(client, enterprise["uscc"], fresh)
    assert expired.status_code == 422 and expired.json()["code"] == "reset.code_invalid"
    await login(client, enterprise["uscc"])


async def test_limits_per_account_and_per_client_and_officials_reserve_a_mobile(reset_system, sinks):
    client, (smtp, sms) = reset_system.client, sinks
    enterprise, _, address = await account_with_email(client)
    smtp.messages.clear()
    for _ in range(5):
        assert (await ask(client, enterprise["uscc"])).status_code == 202
    await eventually(lambda: _first(smtp.to(address)[2:]))
    assert len(smtp.to(address)) == 3, "three codes per account in ten minutes, then silence (still 202)"

    official = await create_official(client, await admin_token(client), level="province", region_code="110000")
    token = await login(client, official["username"])
    bad = await client.patch("/api/v1/me", json={"mobile": "123", "email": "not-an-address"}, headers=bearer(token))
    assert bad.status_code == 422 and {e["code"] for e in bad.json()["errors"]} == {"mobile.format", "email.format"}
    assert (await client.patch("/api/v1/me", json={"mobile": "13700001111"}, headers=bearer(token))).status_code == 200
    await ask(client, official["username"], "sms")
    assert code_in((await eventually(lambda: _first(sms.to("13700001111"))))["text"])

    settings = reset_system.runtime("identity").settings
    async with reset_system.runtime("identity").db.sessionmaker() as s:
        latest = await s.scalar(select(PasswordResetCode.client).order_by(PasswordResetCode.created_at.desc()))
        so_far = await s.scalar(select(func.count()).select_from(PasswordResetCode).where(
            PasswordResetCode.client == latest,
            PasswordResetCode.created_at >= datetime.now(UTC) - timedelta(minutes=10)))
    saved, settings.reset_requests_per_client = settings.reset_requests_per_client, so_far + 1
    try:
        assert (await ask(client, "anyone")).status_code == 202
        limited = await ask(client, "anyone-else")
        assert limited.status_code == 429 and limited.json()["code"] == "rate.limited"
        assert int(limited.headers["Retry-After"]) >= 1
    finally:
        settings.reset_requests_per_client = saved


async def _first(items):
    return items[0] if items else None
