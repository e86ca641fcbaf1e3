"""Ed25519-signed JWTs (PyJWT, alg EdDSA).

The private key never leaves identity; every other service and the gateway only read the
public key file. Claims carry what the other services need to decide access without
asking identity: account kind, enterprise id and types, region, level and ``can_review``.
"""
from __future__ import annotations

import os
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, Field

ISSUER = "autocirc-identity"
AUDIENCE = "autocirc"
ALGORITHM = "EdDSA"


class Principal(BaseModel):
    """Who is calling, as the token says."""

    account_id: str = Field(description="账户标识")
    username: str = Field(description="用户名")
    kind: Literal["enterprise", "official", "admin"] = Field(description="账户类型")
    enterprise_id: str | None = Field(None, description="企业标识")
    types: list[str] = Field(default_factory=list, description="企业类型")
    region_code: str | None = Field(None, description="行政区划代码")
    level: str | None = Field(None, description="主管部门级别")
    can_review: bool = Field(False, description="是否有审核权限")
    must_change_password: bool = Field(False, description="以临时密码登录：只能修改密码")
    issued_at: float | None = Field(None, description="令牌签发时间（Unix 秒，含小数）")
    api_key_id: str | None = Field(None, description="经 API 密钥换发的令牌：密钥标识（只能用于本企业的交易和报表接口）")


def ensure_keypair(private_path: Path, public_path: Path) -> None:
    """Create an Ed25519 key pair if none exists (embedded mode and local runs)."""
    if private_path.exists() and public_path.exists():
        return
    private_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    tmp = private_path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    os.chmod(tmp, 0o600)
    os.replace(tmp, private_path)
    tmp_pub = public_path.with_suffix(f".{os.getpid()}.tmp")
    tmp_pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    os.replace(tmp_pub, public_path)


class TokenIssuer:
    def __init__(self, private_key_pem: bytes, ttl_seconds: int = 3600) -> None:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(key, Ed25519PrivateKey | Ed448PrivateKey):
            raise ValueError(f"an EdDSA token key must be Ed25519 or Ed448, not {type(key).__name__}")
        self._key = key
        self.ttl = ttl_seconds

    def issue(self, principal: Principal, ttl_seconds: int | None = None) -> str:
        # iat keeps its fraction: services compare it with the time of the last change they heard of.
        now = time.time()
        claims = {
            "iss": ISSUER, "aud": AUDIENCE, "sub": principal.account_id, "iat": now, "nbf": int(now),
            "exp": int(now) + (ttl_seconds or self.ttl), "jti": uuid.uuid4().hex,
            **principal.model_dump(exclude={"account_id", "issued_at"}),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)


class InvalidToken(Exception):
    pass


class VerifiedClaims:
    """Claims whose signature, issuer and audience were checked, kept until their ``exp``.

    In the embedded process the gateway and the service verify one request's token each; the second (and
    every later request with the same token) finds it here instead of checking the Ed25519 signature
    again. Only that check is cached: an entry is keyed by the public key too, dropped once expired, and
    whatever a caller checks after ``verify`` (credential version, role) still runs on every request."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[bytes, str], dict[str, Any]] = OrderedDict()

    def get(self, key_id: bytes, token: str, now: float) -> dict[str, Any] | None:
        claims = self._entries.get((key_id, token))
        if claims is None:
            return None
        if claims["exp"] <= now or claims.get("nbf", 0) > now:
            self._entries.pop((key_id, token), None)
            return None
        self._entries.move_to_end((key_id, token))
        return dict(claims)

    def put(self, key_id: bytes, token: str, claims: dict[str, Any]) -> None:
        self._entries[(key_id, token)] = dict(claims)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)


VERIFIED = VerifiedClaims()  # one per process: the embedded gateway and services share it


class TokenVerifier:
    """Loads the public key lazily (identity may create it after this service starts)."""

    def __init__(self, public_key_path: Path | None = None, public_key_pem: bytes | None = None,
                 cache: VerifiedClaims | None = VERIFIED) -> None:
        self.path = public_key_path
        self.cache = cache
        self._key: Ed25519PublicKey | Ed448PublicKey | None = None
        self._key_id = b""  # the raw public key, once loaded
        if public_key_pem:
            self._load(public_key_pem)

    def _load(self, pem: bytes) -> None:
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, Ed25519PublicKey | Ed448PublicKey):
            raise InvalidToken(f"an EdDSA public key must be Ed25519 or Ed448, not {type(key).__name__}")
        self._key = key
        self._key_id = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def _public_key(self) -> Ed25519PublicKey | Ed448PublicKey:
        if self._key is None:
            if self.path is None or not self.path.exists():
                raise InvalidToken("public key not available")
            self._load(self.path.read_bytes())
        assert self._key is not None  # _load set it
        return self._key

    def claims(self, token: str) -> dict[str, Any]:
        """The token's claims once its signature, issuer, audience, ``exp`` and ``nbf`` hold."""
        key = self._public_key()
        cached = self.cache.get(self._key_id, token, time.time()) if self.cache is not None else None
        if cached is not None:
            return cached
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE,
                                issuer=ISSUER, options={"require": ["exp", "sub", "iss", "aud"]})
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if self.cache is not None:
            self.cache.put(self._key_id, token, claims)
        return claims

    def verify(self, token: str) -> Principal:
        claims = self.claims(token)
        claims["account_id"] = claims.pop("sub")
        claims["issued_at"] = claims.get("iat")
        try:
            return Principal.model_validate(claims)
        except ValueError as exc:
            raise InvalidToken(str(exc)) from exc
