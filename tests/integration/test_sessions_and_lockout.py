"""Sessions and lock-out a stranger cannot trigger (issue 17): token refresh keeps the claims with a fresh
expiry; five failures lock one client address out of one account, never the owner at another address."""
from __future__ import annotations

import time

import httpx
import jwt

from tests.support.api import PASSWORD, admin_token, bearer, create_official, login, register


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


async def test_refresh_gives_the_same_claims_with_a_fresh_expiry(system):
    enterprise = await register(system.client)
    token = await login(system.client, enterprise["uscc"])
    time.sleep(1.1)  # exp has whole seconds
    refreshed = await system.client.post("/api/v1/auth/refresh", headers=bearer(token))
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    old, new = claims(token), claims(body["access_token"])
    volatile = {"iat", "nbf", "exp", "jti"}
    assert {k: v for k, v in new.items() if k not in volatile} == {k: v for k, v in old.items() if k not in volatile}
    assert new["exp"] > old["exp"] and new["jti"] != old["jti"]
    me = await system.client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200 and me.json()["enterprise_id"] == enterprise["id"]

    official = await create_official(system.client, await admin_token(system.client), level="district",
                                     region_code="110101", can_review=True)
    official_token = await login(system.client, official["username"])
    again = (await system.client.post("/api/v1/auth/refresh", headers=bearer(official_token))).json()
    assert claims(again["access_token"])["can_review"] is True and claims(again["access_token"])["region_code"] == "110101"


async def test_refresh_refuses_a_missing_tampered_or_expired_token(system):
    assert (await system.client.post("/api/v1/auth/refresh")).status_code == 401
    enterprise = await register(system.client)
    token = await login(system.client, enterprise["uscc"])
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload}.{signature[:-4]}AAAA"
    refused = await system.client.post("/api/v1/auth/refresh", headers=bearer(tampered))
    assert refused.status_code == 401 and refused.json()["code"] == "auth.invalid_token"
    issuer = system.runtime("identity").app.state.token_issuer
    ttl = issuer.ttl
    issuer.ttl = -1
    try:
        expired = await login(system.client, enterprise["uscc"])
    finally:
        issuer.ttl = ttl
    refused = await system.client.post("/api/v1/auth/refresh", headers=bearer(expired))
    assert refused.status_code == 401 and refused.json()["code"] == "auth.invalid_token"


async def test_five_failures_lock_that_address_only_and_the_owner_logs_in_from_another(system):
    enterprise = await register(system.client)
    wrong = {"username": enterprise["uscc"], "password": "Wrong1234x"}
    transport = httpx.ASGITransport(app=system.app, client=("198.51.100.23", 41000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as stranger:
        for _ in range(5):
            response = await stranger.post("/api/v1/auth/login", json=wrong)
            assert response.status_code == 401 and response.json()["code"] == "auth.failed"
        locked = await stranger.post("/api/v1/auth/login", json={**wrong, "password": PASSWORD})
        assert locked.status_code == 429 and locked.json()["code"] == "auth.locked", "the stranger's address is locked"
        forged = await stranger.post("/api/v1/auth/login", json=wrong, headers={"X-Autocirc-Client": "203.0.113.1"})
        assert forged.status_code == 429, "the client cannot name its own address to the services"
    # the clerk, at the office's address, is not locked out by the stranger's failures
    owner = await system.client.post("/api/v1/auth/login", json={"username": enterprise["uscc"], "password": PASSWORD})
    assert owner.status_code == 200, owner.text


async def test_failures_from_many_addresses_are_slowed_down_not_locked(system):
    enterprise = await register(system.client)
    wrong = {"username": enterprise["uscc"], "password": "Wrong1234x"}
    settings = system.runtime("identity").settings
    for i in range(settings.login_max_failures):
        transport = httpx.ASGITransport(app=system.app, client=(f"198.51.100.{100 + i}", 41000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as guesser:
            assert (await guesser.post("/api/v1/auth/login", json=wrong)).status_code == 401
    transport = httpx.ASGITransport(app=system.app, client=("198.51.100.200", 41000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as guesser:
        started = time.perf_counter()
        slowed = await guesser.post("/api/v1/auth/login", json=wrong)
        assert slowed.status_code == 401 and time.perf_counter() - started >= settings.login_slow_seconds
    owner = await system.client.post("/api/v1/auth/login", json={"username": enterprise["uscc"], "password": PASSWORD})
    assert owner.status_code == 200, "the owner still gets in"
