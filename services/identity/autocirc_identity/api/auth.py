"""Login with lock-out, and the caller's own account (/me)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.validation import validate_email, validate_mobile
from autocirc_shared.web.client_address import client_address
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response

from ..domain.passwords import Passwords
from ..models import Account, Enterprise
from ..settings import IdentitySettings
from ..usecases.accounts import enterprise_profile, principal_of, reserved_mobile
from ..usecases.captcha import check_captcha
from ..usecases.login import log_in
from ..usecases.own_account import change_own_password, enterprise_of, own_account, set_contact
from .deps import passwords_of, settings_of
from .officials import region_name
from .schemas import LoginIn, LoginOut, MeOut, MeUpdateIn, PasswordChangeIn, RefreshOut

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.post("/auth/login", response_model=LoginOut, summary="登录（统一社会信用代码/工商营业执照号 + 密码）",
             responses={401: {"description": "用户名或密码错误"}, 429: {"description": "失败次数过多，已锁定"}})
async def login(body: LoginIn, request: Request, uow: UnitOfWork = Depends(get_uow),
                settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    account, enterprise = await log_in(uow, settings, passwords, body.username.strip(), body.password,
                                       client_address(request))
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
    account = await own_account(uow, principal.account_id)
    return _me_out(account, await enterprise_of(uow, account))


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
    account = await own_account(uow, principal.account_id)
    email = body.email.strip() if body.email is not None else None
    mobile = body.mobile.strip() if body.mobile is not None else None
    errors = []
    if email and (issue := validate_email(email)):
        errors.append(FieldError(field="email", code=issue.code, message=issue.message))
    if mobile is not None and (issue := validate_mobile(mobile)):
        errors.append(FieldError(field="mobile", code=issue.code, message=issue.message))
    if errors:
        raise field_errors(422, errors)
    enterprise = await enterprise_of(uow, account)
    set_contact(uow, account, enterprise, email, mobile)
    await uow.commit()
    return _me_out(account, enterprise)


@router.post("/me/password", status_code=204, summary="修改密码")
async def change_password(body: PasswordChangeIn, principal: Principal = Depends(current_principal),
                          uow: UnitOfWork = Depends(get_uow), passwords: Passwords = Depends(passwords_of)):
    await change_own_password(uow, passwords, principal, body.old_password, body.new_password)
    await uow.commit()
    return Response(status_code=204)
