"""Gateway behaviour: rate limits, captcha enforcement, request ids, routing errors."""
from __future__ import annotations

import pytest
from autocirc_identity.models import Captcha
from sqlalchemy import select

from tests.support.api import PASSWORD, registration
from tests.support.system import running_system, system_env


@pytest.fixture(scope="module")
async def strict(tmp_path_factory):
    """Embedded system with the production knobs: captcha on, tight rate limits."""
    env = system_env(tmp_path_factory.mktemp("strict"), pg_url=None, amqp_url=None,
                     AUTOCIRC_CAPTCHA="on", AUTOCIRC_RATE_LOGIN_PER_MINUTE="3",
                     AUTOCIRC_RATE_REGISTER_PER_MINUTE="4")
    async with running_system(env) as running:
        yield running


async def solve_captcha(system) -> dict:
    captcha_id = (await system.client.get("/api/v1/captcha")).json()["captcha_id"]
    async with system.runtime("identity").db.sessionmaker() as s:
        answer = await s.scalar(select(Captcha.answer).where(Captcha.id == captcha_id))
    return {"captcha_id": captcha_id, "captcha_answer": answer.lower()}


async def test_captcha_is_required_single_use_and_case_insensitive(strict):
    client = strict.client
    body = registration()
    missing = await client.post("/api/v1/enterprises", json=body)
    assert missing.status_code == 422 and missing.json()["code"] == "captcha.wrong"
    solved = await solve_captcha(strict)
    wrong = await client.post("/api/v1/enterprises", json={**body, **solved, "captcha_answer": "zzzz"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "captcha.wrong"
    right = await solve_captcha(strict)  # answered in lower case
    assert (await client.post("/api/v1/enterprises", json={**body, **right})).status_code == 201
    reused = await client.post("/api/v1/enterprises", json={**registration(), **right})
    assert reused.status_code == 422, "a captcha is consumed by its first use"
    fresh = await solve_captcha(strict)
    # the register limit (4/min) is spent by now: the gateway refuses before identity sees it
    limited = await client.post("/api/v1/enterprises", json={**body, **fresh})
    assert limited.status_code == 429 and limited.json()["code"] == "rate.limited"
    assert int(limited.headers["Retry-After"]) >= 1


async def test_login_rate_limit_per_client(strict):
    client = strict.client
    codes = []
    for _ in range(4):
        solved = await solve_captcha(strict)
        response = await client.post("/api/v1/auth/login",
                                     json={"username": "nobody", "password": PASSWORD, **solved})
        codes.append(response.status_code)
    assert codes == [401, 401, 401, 429]


async def test_request_id_is_echoed_or_made_and_unknown_paths_are_problems(embedded):
    client = embedded.client
    echoed = await client.get("/api/v1/regions", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    made = await client.get("/api/v1/regions")
    assert len(made.headers["X-Request-ID"]) == 32
    unknown = await client.get("/api/v1/nowhere")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert (await client.get("/api/v1/me")).status_code == 401
    regions = (await client.get("/api/v1/regions", params={"parent": "110000"})).json()
    assert regions == [{"code": "110100", "name": "市辖区", "level": "city"}]
    assert (await client.get("/api/v1/regions", params={"parent": "999999"})).status_code == 404
