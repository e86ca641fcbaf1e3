"""The verified-claims cache: a token's signature is checked once per process, never past its ``exp``,
never for another public key, and what follows ``verify`` still sees every request."""
from __future__ import annotations

import time

import jwt
import pytest
from autocirc_shared.auth import tokens
from autocirc_shared.auth.tokens import InvalidToken, Principal, TokenIssuer, TokenVerifier, VerifiedClaims
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def keypair() -> tuple[bytes, bytes]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


PRINCIPAL = Principal(account_id="a1", username="u", kind="enterprise", enterprise_id="e1")


def test_a_token_is_verified_once_then_served_from_the_cache(monkeypatch):
    private, public = keypair()
    cache = VerifiedClaims()
    token = TokenIssuer(private).issue(PRINCIPAL)
    decoded, decode = [], jwt.decode
    monkeypatch.setattr(tokens.jwt, "decode", lambda *a, **k: decoded.append(1) or decode(*a, **k))
    gateway, service = TokenVerifier(public_key_pem=public, cache=cache), TokenVerifier(public_key_pem=public, cache=cache)
    assert gateway.verify(token).account_id == service.verify(token).account_id == "a1"
    assert service.verify(token).enterprise_id == "e1"
    assert len(decoded) == 1


def test_an_expired_token_is_refused_even_when_it_was_cached():
    private, public = keypair()
    cache = VerifiedClaims()
    verifier = TokenVerifier(public_key_pem=public, cache=cache)
    token = TokenIssuer(private, ttl_seconds=1).issue(PRINCIPAL)
    exp = verifier.verify(token) and verifier.claims(token)["exp"]
    time.sleep(max(0.0, exp - time.time()) + 0.05)
    with pytest.raises(InvalidToken):
        verifier.verify(token)
    assert not cache._entries


def test_a_token_cached_for_one_key_is_not_accepted_under_another():
    private, public = keypair()
    _, other = keypair()
    cache = VerifiedClaims()
    token = TokenIssuer(private).issue(PRINCIPAL)
    TokenVerifier(public_key_pem=public, cache=cache).verify(token)
    with pytest.raises(InvalidToken):
        TokenVerifier(public_key_pem=other, cache=cache).verify(token)


def test_callers_get_their_own_copy_of_the_claims():
    private, public = keypair()
    verifier = TokenVerifier(public_key_pem=public, cache=VerifiedClaims())
    token = TokenIssuer(private).issue(PRINCIPAL)
    verifier.claims(token)["sub"] = "someone else"
    assert verifier.verify(token).account_id == "a1"


def test_the_cache_stays_bounded():
    private, public = keypair()
    cache = VerifiedClaims(size=3)
    verifier = TokenVerifier(public_key_pem=public, cache=cache)
    issuer = TokenIssuer(private)
    for _ in range(10):
        verifier.verify(issuer.issue(PRINCIPAL))
    assert len(cache._entries) == 3
