"""API keys per enterprise (dealer software), and the exchange of a key for a short-lived token.

Where keys are checked: identity owns them (issue, list, revoke, hash at rest). The gateway, seeing
``Authorization: Bearer ak_...``, asks identity's internal exchange route (the same in-process or HTTP
upstream it routes to; no service calls another) for a token of the key's enterprise that lives
``api_key_token_seconds`` and carries ``api_key_id``; it routes the request with that token, only to
transactions and reports. Services verify it as any token; those that do not accept keys (all but
transactions and reports) refuse a token with ``api_key_id`` (403), whatever reaches them. Every request
is exchanged anew, so a revoked key stops working on the next request, on every gateway replica."""
from __future__ import annotations

from datetime import datetime

from autocirc_shared.auth.api_keys import EXCHANGE_PATH
from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from ..settings import IdentitySettings
from ..usecases import api_keys as keys
from ..usecases.accounts import principal_of
from .deps import settings_of

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])
internal = APIRouter(include_in_schema=False)


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="密钥名称（如 经销商管理系统）")


class ApiKeyCreated(BaseModel):
    id: str = Field(description="密钥标识")
    key: str = Field(description="密钥（只显示这一次，请妥善保存）")
    name: str
    created_at: datetime


class ApiKeyOut(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="密钥开头几位（用于区分）")
    created_at: datetime
    last_used_at: datetime | None = Field(None, description="最近使用时间")


def _enterprise(principal: Principal) -> str:
    if principal.kind != "enterprise" or not principal.enterprise_id:
        raise AppError(403, "forbidden.role", "只有企业用户可以管理 API 密钥")
    return principal.enterprise_id


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="创建 API 密钥（密钥只显示一次）")
async def create_key(body: ApiKeyIn, principal: Principal = Depends(current_principal),
                     uow: UnitOfWork = Depends(get_uow)):
    row, key = await keys.create_key(uow, _enterprise(principal), principal.account_id, body.name.strip())
    await uow.commit()
    return ApiKeyCreated(id=row.id, key=key, name=row.name, created_at=row.created_at)


@router.get("", response_model=list[ApiKeyOut], summary="本企业的 API 密钥（不含密钥本身）")
async def list_keys(principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    return [ApiKeyOut.model_validate(row, from_attributes=True) for row in await keys.active_keys(uow, _enterprise(principal))]


@router.delete("/{key_id}", status_code=204, response_class=Response, summary="注销 API 密钥（立即失效）")
async def revoke_key(key_id: str, principal: Principal = Depends(current_principal),
                     uow: UnitOfWork = Depends(get_uow)):
    row = await keys.key_of(uow, key_id)
    if row is None or row.enterprise_id != _enterprise(principal) or row.revoked_at is not None:
        raise not_found("API 密钥")
    keys.revoke_key(row)
    await uow.commit()
    return Response(status_code=204)


class ExchangeIn(BaseModel):
    key: str = Field(max_length=200)


class ExchangeOut(BaseModel):
    token: str
    key_id: str
    expires_in: int


@internal.post(EXCHANGE_PATH, response_model=ExchangeOut)
async def exchange(body: ExchangeIn, request: Request, uow: UnitOfWork = Depends(get_uow),
                   settings: IdentitySettings = Depends(settings_of)):
    """A live key → a token of its enterprise's account carrying ``api_key_id``; else 401."""
    row, account, enterprise = await keys.exchange_key(uow, settings, body.key)
    principal = principal_of(account, enterprise).model_copy(update={"api_key_id": row.id})
    token = request.app.state.token_issuer.issue(principal, ttl_seconds=settings.api_key_token_seconds)
    return ExchangeOut(token=token, key_id=row.id, expires_in=settings.api_key_token_seconds)
