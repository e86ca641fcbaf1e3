"""Message signatures: Ed25519 over the exact request body, named by a key id.

media-sync signs every message with its active key (``X-Autocirc-Signature``: base64 signature,
``X-Autocirc-Key-Id``: the key id) and publishes the public half of every key still valid at
``GET /api/v1/police/keys``. Rotation: create the new key, keep the old one's public key listed as
previous until the police have picked up the new one (two keys valid during the change-over), then
drop it. The bearer token stays as a transport credential only; it proves nothing about the body.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from autocirc_shared.auth.tokens import ensure_keypair
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_HEADER = "X-Autocirc-Signature"
KEY_ID_HEADER = "X-Autocirc-Key-Id"
ALGORITHM = "Ed25519"


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(key: Ed25519PublicKey) -> str:
    """Stable and derived from the key itself: the same key has the same id in every replica."""
    return "ed25519-" + hashlib.sha256(raw_public(key)).hexdigest()[:16]


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    public_key: Ed25519PublicKey
    active: bool

    def as_json(self) -> dict:
        return {"key_id": self.key_id, "algorithm": ALGORITHM, "status": "active" if self.active else "previous",
                "public_key": base64.b64encode(raw_public(self.public_key)).decode("ascii")}


class Signer:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.key_id = key_id_of(private_key.public_key())

    def headers(self, body: bytes) -> dict[str, str]:
        return {SIGNATURE_HEADER: base64.b64encode(self._key.sign(body)).decode("ascii"), KEY_ID_HEADER: self.key_id}


class Keyring:
    """The active signing key and every public key the police should still accept."""

    def __init__(self, active: Ed25519PrivateKey, previous: list[Ed25519PublicKey] = ()) -> None:
        self.signer = Signer(active)
        self.published = [PublishedKey(self.signer.key_id, active.public_key(), True)]
        self.published += [PublishedKey(key_id_of(k), k, False) for k in previous
                           if key_id_of(k) != self.signer.key_id]

    @classmethod
    def from_files(cls, private_path: Path, previous_public_paths: list[Path] = ()) -> Keyring:
        ensure_keypair(private_path, private_path.with_name(private_path.stem + "_public.pem"))
        active = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        previous = [serialization.load_pem_public_key(p.read_bytes()) for p in previous_public_paths]
        if not isinstance(active, Ed25519PrivateKey) or not all(isinstance(k, Ed25519PublicKey) for k in previous):
            raise ValueError("police signing keys must be Ed25519")
        return cls(active, previous)

    def trusted(self) -> dict[str, Ed25519PublicKey]:
        return {k.key_id: k.public_key for k in self.published}


def verify(body: bytes, key_id: str | None, signature: str | None, trusted: dict[str, Ed25519PublicKey]) -> str | None:
    """None if the body carries a valid signature by a trusted key, else why not (Chinese)."""
    if not key_id or not signature:
        return "缺少签名或签名密钥标识"
    key = trusted.get(key_id)
    if key is None:
        return f"签名密钥 {key_id[:40]} 未登记或已停用"
    try:
        key.verify(base64.b64decode(signature, validate=True), body)
    except (InvalidSignature, binascii.Error, ValueError):
        return "签名与报文内容不符"
    return None


def token_valid(authorization: str | None, token: str) -> bool:
    scheme, _, value = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())
