"""Self-service password reset by a code sent to the reserved mobile or e-mail (统一平台预留的手机号和邮箱).

Every request answers 202 whoever is named and takes the same work (one argon2 hash, one row), and the
code is sent after the answer, so neither status, body nor timing tells whether an account exists.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.outbound import Courier
from autocirc_shared.validation import validate_password
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response

from ..domain import reset_codes
from ..domain.passwords import Passwords
from ..settings import IdentitySettings
from ..usecases.captcha import check_captcha
from ..usecases.password_reset import issue_code, redeem_code
from .deps import passwords_of, settings_of
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


@router.post("", status_code=202, summary="找回密码：向预留手机号或邮箱发送验证码",
             responses={202: {"description": "已受理（账户是否存在都同样回答）"}, 429: {"description": "请求过于频繁"}})
async def request_reset(body: PasswordResetIn, request: Request, uow: UnitOfWork = Depends(get_uow),
                        settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of),
                        courier: Courier = Depends(courier_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    now, client = datetime.now(UTC), client_of(request)
    address, code = await issue_code(uow, settings, passwords, body.username.strip(), body.channel, client, now)
    await uow.commit()
    if address and body.channel == "email":
        courier.email_later(address, "密码重置验证码", reset_codes.message(code))
    elif address:
        courier.sms_later(address, reset_codes.message(code))
    return ACCEPTED


@router.post("/confirm", status_code=204, summary="找回密码：凭验证码设置新密码",
             responses={422: {"description": "验证码错误或已失效、新密码不符合要求"},
                        429: {"description": "验证码错误次数过多，已作废"}})
async def confirm_reset(body: PasswordResetConfirmIn, uow: UnitOfWork = Depends(get_uow),
                        passwords: Passwords = Depends(passwords_of)):
    issue = validate_password(body.new_password)
    if issue:
        raise field_errors(422, [FieldError(field="new_password", code=issue.code, message=issue.message)])
    outcome = await redeem_code(uow, passwords, body.username.strip(), body.code.strip(), body.new_password,
                                datetime.now(UTC))
    await uow.commit()
    if outcome.error == "auth.locked":
        raise AppError(429, "auth.locked", "验证码错误次数过多，已作废，请重新获取验证码",
                       headers={"Retry-After": str(int(reset_codes.CODE_TTL.total_seconds()))})
    if outcome.error:
        message = "验证码错误" if outcome.error == "reset.code_wrong" else "验证码错误或已失效，请重新获取"
        raise field_errors(422, [FieldError(field="code", code=outcome.error, message=message)])
    return Response(status_code=204)


