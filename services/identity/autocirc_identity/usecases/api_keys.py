"""An enterprise's API keys (issued, listed, revoked; hashed at rest) and the exchange of a live key for the
account and enterprise a token is issued to."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from autocirc_shared.auth.api_keys import SHOWN_CHARACTERS, key_hash, new_key
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models import Account, ApiKey, Enterprise
from ..settings import IdentitySettings

MAX_ACTIVE_KEYS = 20


async def active_keys(uow: UnitOfWork, enterprise_id: str) -> list[ApiKey]:
    """The enterprise's unrevoked keys, oldest first."""
    query = (select(ApiKey).where(ApiKey.enterprise_id == enterprise_id, ApiKey.revoked_at.is_(None))
             .order_by(ApiKey.created_at))
    return list(await uow.session.scalars(query))


async def create_key(uow: UnitOfWork, enterprise_id: str, account_id: str, name: str) -> tuple[ApiKey, str]:
    """A new key of the enterprise (409 ``api_key.too_many`` beyond the limit) and the key itself, shown once;
    the caller commits."""
    if len(await active_keys(uow, enterprise_id)) >= MAX_ACTIVE_KEYS:
        raise AppError(409, "api_key.too_many", f"每个企业最多 {MAX_ACTIVE_KEYS} 个有效密钥，请先注销不用的密钥")
    key = new_key()
    row = ApiKey(enterprise_id=enterprise_id, account_id=account_id, name=name, prefix=key[:SHOWN_CHARACTERS],
                 key_hash=key_hash(key), created_by=account_id, created_at=datetime.now(UTC))
    uow.session.add(row)
    return row, key


async def key_of(uow: UnitOfWork, key_id: str) -> ApiKey | None:
    return await uow.session.get(ApiKey, key_id)


def revoke_key(row: ApiKey) -> None:
    """Revoked now: the next exchange of it fails; the caller commits."""
    row.revoked_at = datetime.now(UTC)


async def exchange_key(uow: UnitOfWork, settings: IdentitySettings, key: str
                       ) -> tuple[ApiKey, Account, Enterprise | None]:
    """A live key's row, account and enterprise; else 401 ``auth.invalid_key``. Its last use is recorded and
    committed here, at most once per key and ``api_key_last_use_seconds``, however busy the key is."""
    row = await uow.session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash(key)))
    account = await uow.session.get(Account, row.account_id) if row is not None and row.revoked_at is None else None
    if row is None or account is None:
        raise AppError(401, "auth.invalid_key", "API 密钥无效或已注销", headers={"WWW-Authenticate": "Bearer"})
    now = datetime.now(UTC)
    if row.last_used_at is None or now - as_utc(row.last_used_at) >= timedelta(seconds=settings.api_key_last_use_seconds):
        row.last_used_at = now
        await uow.commit()
    enterprise = await uow.session.get(Enterprise, account.enterprise_id)
    return row, account, enterprise
