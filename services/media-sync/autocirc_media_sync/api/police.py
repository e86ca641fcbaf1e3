"""What media-sync tells the police about itself: the public keys its messages are signed with."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api/v1/police", tags=["police"])


class PublicKeyOut(BaseModel):
    key_id: str = Field(description="签名密钥标识（请求头 X-Autocirc-Key-Id）")
    algorithm: str = Field(description="签名算法：Ed25519（对请求体原文签名）")
    status: str = Field(description="active：当前签名用；previous：更换期间仍然有效")
    public_key: str = Field(description="公钥（32 字节，Base64）")


class PublicKeysOut(BaseModel):
    keys: list[PublicKeyOut]


@router.get("/keys", response_model=PublicKeysOut, summary="推送公安报文的签名公钥（无需登录）")
async def keys(request: Request):
    return PublicKeysOut(keys=[k.as_json() for k in request.app.state.police_keyring.published])
