"""Self-service password reset by a code sent to the reserved mobile or e-mail (统一平台预留的手机号和邮箱).

Every request answers 202 whoever is named and takes the same work (one argon2 hash, one row), and the
code is sent after the answer, so neither status, body nor timing tells whether an account exists.
"""
from __future__ import annotations

import logging
import math
from datetime import UTC, datetime

from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.outbound import Courier
from autocirc_shared.validation import validate_password
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import delete, func, select, text, update

from ..domain import reset_codes
from ..domain.passwords import Passwords
from ..models import Account, Enterprise, LoginFailure, PasswordResetCode
from ..settings import IdentitySettings
from ..usecases.accounts import reserved_mobile
from ..usecases.credentials import replace_password
from ..usecases.login import failure_key, find_account
from .deps import passwords_of, settings_of
from .public import check_captcha
from .schemas import PasswordResetConfirmIn, PasswordResetIn

router = APIRouter(prefix="/api/v1/auth/password-reset", tags=["identity"])
log = logging.getLogger(__name__)

ACCEPTED = {"status": "accepted", "detail": "如该账户预留了所选的手机号或邮箱，验证码已发送，10分钟内有效"}


def courier_of(request: Request) -> Courier:
    return request.app.state.courier


def client_of(request: Request) -> str:
    """The right-most X-Forwarded-For hop is what the gateway saw; called directly, the peer."""
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    return (hops[-1] if hops else (request.client.host if request.client else "unknown"))[:64]


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


@router.post("", status_code=202, summary="找回密码：向预留手机号或邮箱发送验证码",
             responses={202: {"description": "已受理（账户是否存在都同样回答）"}, 429: {"description": "请求过于频繁"}})
async def request_reset(body: PasswordResetIn, request: Request, uow: UnitOfWork = Depends(get_uow),
                        settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of),
                        courier: Courier = Depends(courier_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    now, client = datetime.now(UTC), client_of(request)
    wait = await _client_wait(uow, client, settings, now)
    if wait:
        raise AppError(429, "rate.limited", "请求过于频繁，请稍后再试", headers={"Retry-After": str(wait)})
    username = body.username.strip()
    account = await find_account(uow, username)
    key = failure_key(account, username)
    await _serialised(uow, key)
    recent = await uow.session.scalar(select(func.count()).select_from(PasswordResetCode).where(
        PasswordResetCode.key == key, PasswordResetCode.created_at >= now - reset_codes.CODE_TTL))
    code = reset_codes.new_code()
    code_hash = await passwords.hash(code)  # spent for every name, known or not
    if recent >= reset_codes.MAX_REQUESTS_PER_TTL:
        await uow.commit()
        return ACCEPTED  # enough codes on their way to this account: no more, and no different answer
    await uow.session.execute(update(PasswordResetCode).where(
        PasswordResetCode.key == key, PasswordResetCode.state == "live").values(state="superseded"))
    uow.session.add(PasswordResetCode(key=key, account_id=account.id if account else None, channel=body.channel,
                                      code_hash=code_hash, created_at=now, expires_at=now + reset_codes.CODE_TTL,
                                      client=client, wrong_tries=0, state="live"))
    address = await _address(uow, account, body.channel)
    await uow.commit()
    if address and body.channel == "email":
        courier.email_later(address, "密码重置验证码", reset_codes.message(code))
    elif address:
        courier.sms_later(address, reset_codes.message(code))
    return ACCEPTED


async def _address(uow: UnitOfWork, account: Account | None, channel: str) -> str | None:
    if account is None:
        return None
    if channel == "email":
        return account.email
    enterprise = await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None
    return reserved_mobile(account, enterprise)


@router.post("/confirm", status_code=204, summary="找回密码：凭验证码设置新密码",
             responses={422: {"description": "验证码错误或已失效、新密码不符合要求"},
                        429: {"description": "验证码错误次数过多，已作废"}})
async def confirm_reset(body: PasswordResetConfirmIn, uow: UnitOfWork = Depends(get_uow),
                        passwords: Passwords = Depends(passwords_of)):
    issue = validate_password(body.new_password)
    if issue:
        raise field_errors(422, [FieldError(field="new_password", code=issue.code, message=issue.message)])
    username, now = body.username.strip(), datetime.now(UTC)
    account = await find_account(uow, username)
    key = failure_key(account, username)
    await _serialised(uow, key)
    row = await uow.session.scalar(select(PasswordResetCode).where(PasswordResetCode.key == key)
                                   .order_by(PasswordResetCode.created_at.desc()).limit(1))
    live = row is not None and row.state == "live"
    matches = await passwords.verify(row.code_hash if live else None, body.code.strip())
    outcome = reset_codes.judge(row.state if row else None, as_utc(row.expires_at) if row else None,
                                row.wrong_tries if row else 0, matches and account is not None, now)
    if row is not None and live:
        row.state = outcome.state
        row.wrong_tries += 0 if outcome.ok else 1
    if outcome.ok:
        await replace_password(uow, account, await passwords.hash(body.new_password), action="password.self_reset",
                               actor=None, details={"channel": row.channel})
        await uow.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    await uow.commit()
    if outcome.error == "auth.locked":
        raise AppError(429, "auth.locked", "验证码错误次数过多，已作废，请重新获取验证码",
                       headers={"Retry-After": str(int(reset_codes.CODE_TTL.total_seconds()))})
    if outcome.error:
        message = "验证码错误" if outcome.error == "reset.code_wrong" else "验证码错误或已失效，请重新获取"
        raise field_errors(422, [FieldError(field="code", code=outcome.error, message=message)])
    return Response(status_code=204)


