"""Logging in: the account by any of its names, and the lock-out (five wrong passwords lock one client address out
of one account for the window; beyond that, failures from all addresses together are answered ever more slowly)."""
from __future__ import annotations

import asyncio
import hashlib
import math
from datetime import UTC, datetime, timedelta

from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import delete, or_, select

from ..domain.passwords import Passwords
from ..models import Account, Enterprise, LoginFailure
from ..settings import IdentitySettings


async def find_account(uow: UnitOfWork, username: str) -> Account | None:
    """By account username, or by the enterprise's USCC or business licence number."""
    account = await uow.session.scalar(select(Account).where(Account.username == username))
    if account is None:
        upper = username.upper()
        enterprise_id = await uow.session.scalar(select(Enterprise.id).where(
            or_(Enterprise.uscc == upper, Enterprise.business_licence_no == upper)))
        if enterprise_id:
            account = await uow.session.scalar(select(Account).where(Account.enterprise_id == enterprise_id))
    return account


def failure_key(account: Account | None, username: str) -> str:
    """What failed logins are counted against: the account, however it was named (username, USCC or licence
    number), so each name does not get its own five tries; an unknown name by itself, upper-cased (hashed when
    long, to leave room for the address). The ``account:`` prefix is lower case, so no upper-cased typed name can
    collide with it."""
    if account is not None:
        return f"account:{account.id}"
    name = username.upper()
    return name if len(name) <= 40 else "name:" + hashlib.sha256(name.encode()).hexdigest()[:35]


def address_key(key: str, address: str) -> str:
    """One account's failures from one client address: five of them lock that address out of that account only,
    so a stranger who knows a USCC cannot lock the clerk out (``|`` never occurs in a key)."""
    return f"{key}|{hashlib.sha256(address.encode()).hexdigest()[:16]}"


async def _failures_since(uow: UnitOfWork, condition, since: datetime, limit: int) -> list[datetime]:
    return list((await uow.session.scalars(
        select(LoginFailure.at).where(condition, LoginFailure.at >= since)
        .order_by(LoginFailure.at.desc()).limit(limit))).all())


async def _locked_for(uow: UnitOfWork, key: str, settings: IdentitySettings, now: datetime) -> int:
    """Seconds this account stays locked for this address (0 = not locked)."""
    since = now - timedelta(seconds=settings.login_window_seconds)
    recent = await _failures_since(uow, LoginFailure.username == key, since, settings.login_max_failures)
    if len(recent) < settings.login_max_failures:
        return 0
    unlock = as_utc(recent[-1]) + timedelta(seconds=settings.login_window_seconds)
    return max(1, math.ceil((unlock - now).total_seconds()))


async def _delay_after_failure(uow: UnitOfWork, key: str, settings: IdentitySettings, now: datetime) -> float:
    """Beyond the per-address lock: once an account has had the limit of failures from all addresses together,
    each further failure is answered slowly (growing to a cap), so guessing from many addresses stays slow
    without locking the owner out; the captcha is asked on every login anyway."""
    since = now - timedelta(seconds=settings.login_window_seconds)
    cap = settings.login_max_failures * 4
    count = len(await _failures_since(uow, LoginFailure.username.like(f"{key}|%"), since, cap))
    over = count - settings.login_max_failures
    return 0.0 if over < 0 else min(settings.login_slow_seconds * (over + 1), settings.login_slow_max_seconds)


async def log_in(uow: UnitOfWork, settings: IdentitySettings, passwords: Passwords, username: str, password: str,
                 address: str) -> tuple[Account, Enterprise | None]:
    """The account and its enterprise if ``password`` is right and the account is not locked for ``address``
    (committed: the failures are forgotten); otherwise the failure is recorded and committed, and 429
    ``auth.locked`` or 401 ``auth.failed`` raised."""
    now = datetime.now(UTC)
    account = await find_account(uow, username)
    account_key = failure_key(account, username)
    key = address_key(account_key, address)
    await uow.lock(f"login:{account_key}")  # attempts on one account in turn, so parallel ones cannot all pass the count
    wait = await _locked_for(uow, key, settings, now)
    if wait:
        raise AppError(429, "auth.locked", f"密码错误次数过多，账户已锁定，请{math.ceil(wait / 60)}分钟后再试",
                       headers={"Retry-After": str(wait)})
    if not await passwords.verify(account.password_hash if account else None, password):
        uow.session.add(LoginFailure(username=key, at=now))
        delay = await _delay_after_failure(uow, account_key, settings, now)
        await uow.commit()
        if delay:
            await asyncio.sleep(delay)  # after the commit: the account's lock is not held meanwhile
        raise AppError(401, "auth.failed", "用户名或密码错误")
    await uow.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    await uow.commit()
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    return account, enterprise
