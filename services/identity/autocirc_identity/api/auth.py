"""Login with lock-out, and the caller's own account (/me)."""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.events.identity import ContactChanged
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.validation import validate_email, validate_mobile, validate_password
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import delete, or_, select

from ..domain.accounts import enterprise_profile, principal_of, reserved_mobile
from ..domain.passwords import Passwords
from ..models import Account, Enterprise, LoginFailure
from ..settings import IdentitySettings
from ..usecases.credentials import replace_password
from .deps import passwords_of, settings_of
from .public import check_captcha
from .schemas import LoginIn, LoginOut, MeOut, MeUpdateIn, PasswordChangeIn

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
    number), so each name does not get its own five tries; an unknown name by itself, upper-cased. The
    ``account:`` prefix is lower case, so no upper-cased typed name can collide with it."""
    return f"account:{account.id}" if account is not None else username.upper()


async def _locked_for(uow: UnitOfWork, key: str, settings: IdentitySettings, now: datetime) -> int:
    """Seconds the username stays locked (0 = not locked)."""
    since = now - timedelta(seconds=settings.login_window_seconds)
    recent = (await uow.session.scalars(
        select(LoginFailure.at).where(LoginFailure.username == key, LoginFailure.at >= since)
        .order_by(LoginFailure.at.desc()).limit(settings.login_max_failures))).all()
    if len(recent) < settings.login_max_failures:
        return 0
    unlock = as_utc(recent[-1]) + timedelta(seconds=settings.login_window_seconds)
    return max(1, math.ceil((unlock - now).total_seconds()))


@router.post("/auth/login", response_model=LoginOut, summary="登录（统一社会信用代码/工商营业执照号 + 密码）",
             responses={401: {"description": "用户名或密码错误"}, 429: {"description": "失败次数过多，已锁定"}})
async def login(body: LoginIn, request: Request, uow: UnitOfWork = Depends(get_uow),
                settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    username = body.username.strip()
    now = datetime.now(UTC)
    account = await find_account(uow, username)
    key = failure_key(account, username)
    await uow.lock(f"login:{key}")  # attempts on one account in turn, so parallel ones cannot all pass the count
    wait = await _locked_for(uow, key, settings, now)
    if wait:
        raise AppError(429, "auth.locked", f"密码错误次数过多，账户已锁定，请{math.ceil(wait / 60)}分钟后再试",
                       headers={"Retry-After": str(wait)})
    if not await passwords.verify(account.password_hash if account else None, body.password):
        uow.session.add(LoginFailure(username=key, at=now))
        await uow.commit()
        raise AppError(401, "auth.failed", "用户名或密码错误")
    await uow.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    await uow.commit()
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    principal = principal_of(account, enterprise)
    token = request.app.state.token_issuer.issue(principal)
    return LoginOut(access_token=token, expires_in=settings.jwt_ttl_seconds,
                    account={"id": account.id, **principal.model_dump(exclude={"account_id", "username", "issued_at"})})


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
