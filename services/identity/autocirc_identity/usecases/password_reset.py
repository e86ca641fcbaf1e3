"""Self-service password reset: issuing a code for a named account (whoever is named, the same work: one argon2
hash, one row) and redeeming it. In the caller's unit of work; the caller commits, then sends the code or answers."""
from __future__ import annotations

import math
from datetime import datetime

from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import delete, func, select, text, update

from ..domain import reset_codes
from ..domain.passwords import Passwords
from ..models import Account, Enterprise, LoginFailure, PasswordResetCode
from ..settings import IdentitySettings
from .accounts import reserved_mobile
from .credentials import replace_password
from .login import failure_key, find_account


async def _serialised(uow: UnitOfWork, key: str) -> None:
    if uow.db.dialect == "postgresql":  # requests and tries on one name in turn
        await uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"reset:{key}"})


async def _client_wait(uow: UnitOfWork, client: str, settings: IdentitySettings, now: datetime) -> int:
    since = now - reset_codes.CODE_TTL
    times = (await uow.session.scalars(
        select(PasswordResetCode.created_at).where(PasswordResetCode.client == client,
                                                   PasswordResetCode.created_at >= since)
        .order_by(PasswordResetCode.created_at.desc()).limit(settings.reset_requests_per_client))).all()
    if len(times) < settings.reset_requests_per_client:
        return 0
    return max(1, math.ceil((as_utc(times[-1]) + reset_codes.CODE_TTL - now).total_seconds()))


async def issue_code(uow: UnitOfWork, settings: IdentitySettings, passwords: Passwords, username: str, channel: str,
                     client: str, now: datetime) -> tuple[str | None, str]:
    """A new live code for ``username`` (superseding the live one), and the address to send it to (None: none
    known, no such account, or enough codes already on their way); 429 ``rate.limited`` for a busy client."""
    wait = await _client_wait(uow, client, settings, now)
    if wait:
        raise AppError(429, "rate.limited", "请求过于频繁，请稍后再试", headers={"Retry-After": str(wait)})
    account = await find_account(uow, username)
    key = failure_key(account, username)
    await _serialised(uow, key)
    recent = await uow.session.scalar(select(func.count()).select_from(PasswordResetCode).where(
        PasswordResetCode.key == key, PasswordResetCode.created_at >= now - reset_codes.CODE_TTL))
    code = reset_codes.new_code()
    code_hash = await passwords.hash(code)  # spent for every name, known or not
    if recent >= reset_codes.MAX_REQUESTS_PER_TTL:
        return None, code  # enough codes on their way to this account: no more, and no different answer
    await uow.session.execute(update(PasswordResetCode).where(
        PasswordResetCode.key == key, PasswordResetCode.state == "live").values(state="superseded"))
    uow.session.add(PasswordResetCode(key=key, account_id=account.id if account else None, channel=channel,
                                      code_hash=code_hash, created_at=now, expires_at=now + reset_codes.CODE_TTL,
                                      client=client, wrong_tries=0, state="live"))
    return await _address(uow, account, channel), code


async def _address(uow: UnitOfWork, account: Account | None, channel: str) -> str | None:
    if account is None:
        return None
    if channel == "email":
        return account.email
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    return reserved_mobile(account, enterprise)


async def redeem_code(uow: UnitOfWork, passwords: Passwords, username: str, code: str, new_password: str,
                      now: datetime) -> reset_codes.Outcome:
    """The code judged (a wrong one counted); when right, the new password in force and the lock-out forgotten."""
    account = await find_account(uow, username)
    key = failure_key(account, username)
    await _serialised(uow, key)
    row = await uow.session.scalar(select(PasswordResetCode).where(PasswordResetCode.key == key)
                                   .order_by(PasswordResetCode.created_at.desc()).limit(1))
    live = row is not None and row.state == "live"
    matches = await passwords.verify(row.code_hash if live else None, code)
    outcome = reset_codes.judge(row.state if row else None, as_utc(row.expires_at) if row else None,
                                row.wrong_tries if row else 0, matches and account is not None, now)
    if row is not None and live:
        row.state = outcome.state
        row.wrong_tries += 0 if outcome.ok else 1
    if outcome.ok:
        await replace_password(uow, account, await passwords.hash(new_password), action="password.self_reset",
                               actor=None, details={"channel": row.channel})
        await uow.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    return outcome
