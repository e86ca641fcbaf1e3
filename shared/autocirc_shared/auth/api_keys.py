"""API keys for dealer software: their form and hash, shared by identity (which issues and checks them)
and the gateway (which exchanges a key for a short-lived token before routing the request).

A key is ``ak_`` + 43 URL-safe characters (256 random bits). Such a secret cannot be guessed, so a
fast SHA-256 is the right hash at rest (argon2 is for passwords people choose): look-up is one indexed
read by hash, and a stolen table gives no working key."""
from __future__ import annotations

import hashlib
import secrets

PREFIX = "ak_"
SHOWN_CHARACTERS = 10  # ``ak_`` and 7 more, shown in the list to tell keys apart


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# the internal route the gateway asks identity on; not routed from outside (the key itself is the credential)
EXCHANGE_PATH = "/internal/api-keys/exchange"


def looks_like_key(token: str) -> bool:
    return token.startswith(PREFIX) and 20 <= len(token) <= 100
