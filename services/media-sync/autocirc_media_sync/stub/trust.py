"""Which signing keys the stub, as the other agency, accepts (process-local, like the fault switches).

By default it trusts what media-sync publishes at ``GET /api/v1/police/keys`` (read in-process). A test
or an operator can pin another set, as an agency that registered keys out of band would hold: then a
message signed by any other key is refused, whatever key id it names."""
from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, Field

from ..police.signing import Keyring


class TrustedKey(BaseModel):
    key_id: str = Field(max_length=64, description="签名密钥标识")
    public_key: str = Field(max_length=100, description="Ed25519 公钥（32 字节，Base64）")


class TrustedKeys(BaseModel):
    keys: list[TrustedKey] = Field(max_length=10, description="接受的签名公钥")


class StubTrust:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self.pinned: dict[str, Ed25519PublicKey] | None = None

    def trusted(self) -> dict[str, Ed25519PublicKey]:
        return self.pinned if self.pinned is not None else self.keyring.trusted()

    def pin(self, keys: TrustedKeys) -> None:
        """Raises ValueError for a key that is not 32 bytes of Base64."""
        pinned = {}
        for k in keys.keys:
            try:
                pinned[k.key_id] = Ed25519PublicKey.from_public_bytes(base64.b64decode(k.public_key, validate=True))
            except (binascii.Error, ValueError):
                raise ValueError(k.key_id) from None
        self.pinned = pinned
