"""Agency keys (公安查询密钥): issued once, kept as a hash, refused once revoked."""
from __future__ import annotations

import hashlib
import secrets

PREFIX = "agk_"


def new_key() -> str:
    """256 random bits, recognisable by its prefix (and never a JWT, which has two dots)."""
    return PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def shown_prefix(key: str) -> str:
    """Enough of the key for an admin to tell keys apart in a list, far too little to use."""
    return key[: len(PREFIX) + 6]
