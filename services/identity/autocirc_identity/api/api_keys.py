"""API keys per enterprise (dealer software), and the exchange of a key for a short-lived token.

Where keys are checked: identity owns them (issue, list, revoke, hash at rest). The gateway, seeing
``Authorization: Bearer ak_...``, asks identity's internal exchange route (the same in-process or HTTP
upstream it routes to; no service calls another) for a token of the key's enterprise that lives
``api_key_token_seconds`` and carries ``api_key_id``; it routes the request with that token, only to
transactions and reports. Services verify it as any token; those that do not accept keys (all but
transactions and reports) refuse a token with ``api_key_id`` (403), whatever reaches them. Every request
is exchanged anew, so a revoked key stops working on the next request, on every gateway replica."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from autocirc_shared.auth.api_keys import EXCHANGE_PATH, SHOWN_CHARACTERS, key_hash, new_key
from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from ..models import Account, ApiKey, Enterprise
from ..settings import IdentitySettings
from ..usecases.accounts import principal_of
from .deps import settings_of

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])
internal = APIRouter(include_in_schema=False)
MAX_ACTIVE_KEYS = 20


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


async def _active(uow: UnitOfWork, enterprise_id: str) -> list[ApiKey]:
    query = (select(ApiKey).where(ApiKey.enterprise_id == enterprise_id, ApiKey.revoked_at.is_(None))
             .order_by(ApiKey.created_at))
    return list(await uow.session.scalars(query))


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="创建 API 密钥（密钥只显示一次）")
async def create_key(body: ApiKeyIn, principal: Principal = Depends(current_principal),
                     uow: UnitOfWork = Depends(get_uow)):
    enterprise_id = _enterprise(principal)
    if len(await _active(uow, enterprise_id)) >= MAX_ACTIVE_KEYS:
        raise AppError(409, "api_key.too_many", f"每个企业最多 {MAX_ACTIVE_KEYS} 个有效密钥，请先注销不用的密钥")
    key = new_key()
    row = ApiKey(enterprise_id=enterprise_id, account_id=principal.account_id, name=body.name.strip(),
                 prefix=key[:SHOWN_CHARACTERS], key_hash=key_hash(key), created_by=principal.account_id,
                 created_at=datetime.now(UTC))
    uow.session.add(row)
    await uow.commit()
    return ApiKeyCreated(id=row.id, key=key, name=row.name, created_at=row.created_at)


@router.get("", response_model=list[ApiKeyOut], summary="本企业的 API 密钥（不含密钥本身）")
async def list_keys(principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    return [ApiKeyOut.model_validate(row, from_attributes=True) for row in await _active(uow, _enterprise(principal))]


@router.delete("/{key_id}", status_code=204, response_class=Response, summary="注销 API 密钥（立即失效）")
async def revoke_key(key_id: str, principal: Principal = Depends(current_principal),
                     uow: UnitOfWork = Depends(get_uow)):
    row = await uow.session.get(ApiKey, key_id)
    if row is None or row.enterprise_id != _enterprise(principal) or row.revoked_at is not None:
        raise not_found("API 密钥")
    row.revoked_at = datetime.now(UTC)
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
    row = await uow.session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash(body.key)))
    account = await uow.session.get(Account, row.account_id) if row is not None and row.revoked_at is None else None
    if account is None:
        raise AppError(401, "auth.invalid_key", "API 密钥无效或已注销", headers={"WWW-Authenticate": "Bearer"})
    now = datetime.now(UTC)
    if row.last_used_at is None or now - as_utc(row.last_used_at) >= timedelta(seconds=settings.api_key_last_use_seconds):
        row.last_used_at = now  # at most one write per key and interval, however busy the key is
        await uow.commit()
    enterprise = await uow.session.get(Enterprise, account.enterprise_id)
    principal = principal_of(account, enterprise).model_copy(update={"api_key_id": row.id})
    token = request.app.state.token_issuer.issue(principal, ttl_seconds=settings.api_key_token_seconds)
    return ExchangeOut(token=token, key_id=row.id, expires_in=settings.api_key_token_seconds)
