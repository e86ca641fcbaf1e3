"""Login with lock-out, and the caller's own account (/me)."""
from __future__ import annotations

import asyncio
import hashlib
import math
from datetime import UTC, datetime, timedelta

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.events.identity import ContactChanged
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.validation import validate_email, validate_mobile, validate_password
from autocirc_shared.web.client_address import client_address
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import delete, or_, select

from ..domain.passwords import Passwords
from ..models import Account, Enterprise, LoginFailure
from ..settings import IdentitySettings
from ..usecases.accounts import enterprise_profile, principal_of, reserved_mobile
from ..usecases.credentials import replace_password
from .deps import passwords_of, settings_of
from .officials import region_name
from .public import check_captcha
from .schemas import LoginIn, LoginOut, MeOut, MeUpdateIn, PasswordChangeIn, RefreshOut

router = APIRouter(prefix="/api/v1", tags=["identity"])


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


@router.post("/auth/login", response_model=LoginOut, summary="登录（统一社会信用代码/工商营业执照号 + 密码）",
             responses={401: {"description": "用户名或密码错误"}, 429: {"description": "失败次数过多，已锁定"}})
async def login(body: LoginIn, request: Request, uow: UnitOfWork = Depends(get_uow),
                settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    username = body.username.strip()
    now = datetime.now(UTC)
    account = await find_account(uow, username)
    account_key = failure_key(account, username)
    key = address_key(account_key, client_address(request))
    await uow.lock(f"login:{account_key}")  # attempts on one account in turn, so parallel ones cannot all pass the count
    wait = await _locked_for(uow, key, settings, now)
    if wait:
        raise AppError(429, "auth.locked", f"密码错误次数过多，账户已锁定，请{math.ceil(wait / 60)}分钟后再试",
                       headers={"Retry-After": str(wait)})
    if not await passwords.verify(account.password_hash if account else None, body.password):
        uow.session.add(LoginFailure(username=key, at=now))
        delay = await _delay_after_failure(uow, account_key, settings, now)
        await uow.commit()
        if delay:
            await asyncio.sleep(delay)  # after the commit: the account's lock is not held meanwhile
        raise AppError(401, "auth.failed", "用户名或密码错误")
    await uow.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    await uow.commit()
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    principal = principal_of(account, enterprise)
    token = request.app.state.token_issuer.issue(principal)
    return LoginOut(access_token=token, expires_in=settings.jwt_ttl_seconds,
                    account={"id": account.id, **principal.model_dump(exclude={"account_id", "username", "issued_at"})})


@router.post("/auth/refresh", response_model=RefreshOut, summary="续期登录（令牌未过期时换发新令牌，声明不变）",
             responses={401: {"description": "令牌无效或已过期"}})
async def refresh(request: Request, principal: Principal = Depends(current_principal),
                  settings: IdentitySettings = Depends(settings_of)):
    """The same claims as the token presented (what it says the caller may do is not re-read here: a change of
    rights reaches the services by event, and a new login picks it up), with a fresh expiry."""
    token = request.app.state.token_issuer.issue(principal)
    return RefreshOut(access_token=token, expires_in=settings.jwt_ttl_seconds)


@router.get("/me", response_model=MeOut, summary="当前账户")
async def me(principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    account = await uow.session.get(Account, principal.account_id)
    if account is None:
        raise AppError(401, "auth.invalid_token", "账户不存在，请重新登录")
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    return _me_out(account, enterprise)


def _me_out(account: Account, enterprise: Enterprise | None) -> MeOut:
    current = principal_of(account, enterprise)
    return MeOut(id=account.id, username=account.username, name=account.name,
                 must_change_password=account.must_change_password,
                 enterprise=enterprise_profile(enterprise) if enterprise else None,
                 email=account.email, mobile=reserved_mobile(account, enterprise),
                 region_name=region_name(current.region_code),
                 **current.model_dump(exclude={"account_id", "username", "issued_at", "must_change_password"}))


@router.patch("/me", response_model=MeOut, summary="设置预留邮箱、手机号（用于找回密码）")
async def update_me(body: MeUpdateIn, principal: Principal = Depends(current_principal),
                    uow: UnitOfWork = Depends(get_uow)):
    account = await uow.session.get(Account, principal.account_id)
    if account is None:
        raise AppError(401, "auth.invalid_token", "账户不存在，请重新登录")
    email = body.email.strip() if body.email is not None else None
    mobile = body.mobile.strip() if body.mobile is not None else None
    errors = []
    if email and (issue := validate_email(email)):
        errors.append(FieldError(field="email", code=issue.code, message=issue.message))
    if mobile is not None and (issue := validate_mobile(mobile)):
        errors.append(FieldError(field="mobile", code=issue.code, message=issue.message))
    if errors:
        raise field_errors(422, errors)
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    if email is not None and (email or None) != account.email:
        account.email = email or None
        uow.emit(ContactChanged(account_id=account.id, kind=account.kind, enterprise_id=account.enterprise_id,
                                email=account.email, changed_at=datetime.now(UTC)))
    if mobile is not None:
        if enterprise is not None:
            enterprise.filler_mobile = mobile
        else:
            account.mobile = mobile
    await uow.commit()
    return _me_out(account, enterprise)


@router.post("/me/password", status_code=204, summary="修改密码")
async def change_password(body: PasswordChangeIn, principal: Principal = Depends(current_principal),
                          uow: UnitOfWork = Depends(get_uow), passwords: Passwords = Depends(passwords_of)):
    account = await uow.session.get(Account, principal.account_id)
    if account is None or not await passwords.verify(account.password_hash, body.old_password):
        raise field_errors(422, [FieldError(field="old_password", code="password.old_wrong", message="原密码不正确")])
    issue = validate_password(body.new_password)
    if issue:
        raise field_errors(422, [FieldError(field="new_password", code=issue.code, message=issue.message)])
    await replace_password(uow, account, await passwords.hash(body.new_password), action="password.change",
                           actor=principal)
    await uow.commit()
    return Response(status_code=204)
