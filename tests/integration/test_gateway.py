"""Gateway behaviour: rate limits, captcha enforcement, request ids, routing errors."""
from __future__ import annotations

import httpx
import pytest
from autocirc_gateway.app import build_gateway
from autocirc_gateway.settings import GatewaySettings
from autocirc_gateway.upstreams import HttpUpstream
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


@pytest.fixture
async def behind_a_proxy(tmp_path):
    """A gateway trusting X-Forwarded-For (login limit 2/min) whose identity upstream, over HTTP, records
    the X-Forwarded-For it is sent."""
    seen: list[list[bytes]] = []

    async def identity(scope, receive, send):
        seen.append([v for k, v in scope["headers"] if k == b"x-forwarded-for"])
        await send({"type": "http.response.start", "status": 401, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}"})

    upstream = HttpUpstream("http://identity")
    await upstream.client.aclose()
    upstream.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=identity, client=("10.0.0.5", 1)),
                                        base_url="http://identity")
    settings = GatewaySettings(data_dir=tmp_path, trust_forwarded_for=True, rate_login_per_minute=2)
    app = build_gateway(settings, {"identity": upstream})
    # the peer is the trusted proxy; the right-most X-Forwarded-For entry is the client it saw
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client, seen
    await upstream.aclose()


async def test_forwarded_for_rate_limit_keys_on_the_entry_the_proxy_added(behind_a_proxy):
    client, seen = behind_a_proxy

    async def attempt(forwarded: str) -> int:
        response = await client.post("/api/v1/auth/login", json={"username": "nobody", "password": PASSWORD},
                                     headers={"X-Forwarded-For": forwarded})
        return response.status_code

    # the client writes a fresh left-most address each time; the proxy appends the real one
    codes = [await attempt(f"198.51.100.{i}, 203.0.113.7") for i in range(3)]
    assert codes == [401, 401, 429], "spoofed left-most entries do not buy more attempts"
    assert await attempt("203.0.113.8") == 401, "another client has its own budget"
    assert await attempt("203.0.113.7, 203.0.113.8") == 401, "keyed on the right-most entry only"
    # upstream gets one header: the client's entries, then the peer this gateway saw, appended
    assert seen[0] == [b"198.51.100.0, 203.0.113.7, 192.0.2.1"]
    assert seen[-1] == [b"203.0.113.7, 203.0.113.8, 192.0.2.1"]


async def test_upstream_appends_the_peer_to_forwarded_for_never_passes_it_unchanged(behind_a_proxy):
    client, seen = behind_a_proxy
    await client.get("/api/v1/regions")
    await client.get("/api/v1/regions", headers=[("X-Forwarded-For", "1.1.1.1"), ("X-Forwarded-For", "2.2.2.2")])
    assert seen == [[b"192.0.2.1"], [b"1.1.1.1, 2.2.2.2, 192.0.2.1"]]
