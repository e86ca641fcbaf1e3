"""Races: 50 requests at once keep the same promises on PostgreSQL and in the embedded mode (SQLite)."""
from __future__ import annotations

import asyncio
from collections import Counter

from tests.support.api import admin_token, bearer, create_official, login, make_uscc, register, registration
from tests.support.images import png
from tests.support.waiting import eventually

from .conftest import TIBET, XINJIANG, figure, mode_of

N = 50


async def test_50_registrations_of_one_uscc_give_one_201(any_system):
    client = any_system.client
    uscc = make_uscc("540102")
    bodies = [registration(uscc=uscc, residence=dict(TIBET)) for _ in range(N)]
    answers = await asyncio.gather(*(client.post("/api/v1/enterprises", json=b) for b in bodies))
    statuses = Counter(a.status_code for a in answers)
    figure(f"race_register_{mode_of(any_system)}", dict(sorted(statuses.items())))
    assert statuses == {201: 1, 409: N - 1}, [a.text for a in answers if a.status_code not in (201, 409)][:3]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"uscc.taken"}
    await login(client, uscc)  # the one that won can log in


async def _submitted(client) -> tuple[dict, str]:
    """A submitted filing in Xinjiang and a reviewing district official's token, once filing knows both."""
    from tests.integration.test_filing import FILING

    enterprise = await register(client, residence=dict(XINJIANG), uscc=make_uscc("650102"))
    token = await login(client, enterprise["username"])
    assert (await client.put("/api/v1/filing", json={"data": FILING}, headers=bearer(token))).status_code == 200
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        uploaded = await client.post(f"/api/v1/filing/media/{kind}", headers=bearer(token),
                                     files={"file": ("x.png", png(seed=hash(enterprise["username"]) + i), "image/png")})
        assert uploaded.status_code == 201, uploaded.text
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    reviewer = await create_official(client, await admin_token(client), level="district", region_code="650102",
                                     can_review=True)
    reviewer_token = await login(client, reviewer["username"])

    async def visible():
        response = await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(reviewer_token))
        return response.status_code == 200

    await eventually(visible, timeout=30)
    return enterprise, reviewer_token


async def test_50_confirmations_of_one_filing_give_one_200(any_system):
    client = any_system.client
    enterprise, reviewer = await _submitted(client)
    path = f"/api/v1/filings/{enterprise['id']}/confirm"
    answers = await asyncio.gather(*(client.post(path, headers=bearer(reviewer)) for _ in range(N)))
    statuses = Counter(a.status_code for a in answers)
    detail = (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(reviewer))).json()
    confirms = sum(1 for h in detail["history"] if h["action"] == "confirm")
    figure(f"race_confirm_{mode_of(any_system)}", {**dict(sorted(statuses.items())), "history_confirms": confirms})
    assert statuses == {200: 1, 409: N - 1}, [a.text for a in answers if a.status_code not in (200, 409)][:3]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"filing.state"}
    assert confirms == 1 and detail["status"] == "confirmed"


async def _wrong_passwords(system) -> Counter:
    client = system.client
    enterprise = await register(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    body = {"username": enterprise["username"], "password": "Wrong-pass1"}
    answers = await asyncio.gather(*(client.post("/api/v1/auth/login", json=body) for _ in range(N)))
    assert all(a.status_code in (401, 429) for a in answers), [a.text for a in answers][:3]
    return Counter(a.status_code for a in answers)


async def test_50_wrong_passwords_lock_out_as_on_postgresql(system, embedded):
    """Whatever the lock-out policy, the embedded mode counts concurrent failures exactly as PostgreSQL does."""
    on_postgresql, on_sqlite = await _wrong_passwords(system), await _wrong_passwords(embedded)
    figure("race_lockout_postgresql", dict(sorted(on_postgresql.items())))
    figure("race_lockout_sqlite", dict(sorted(on_sqlite.items())))
    assert on_sqlite == on_postgresql
    assert on_postgresql[429] > 0, "50 wrong passwords at once must end in a lock-out"
