"""FastAPI dependencies: every service checks the token itself (defence in depth behind the gateway).

Three steps, each its own: the signature (genuine), freshness (not issued before the account's last password
reset or change, :mod:`.freshness`), and a temporary password's limit (such a token opens only the password
change and ``GET /api/v1/me``)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..errors import AppError
from .freshness import CredentialVersions, is_stale
from .tokens import InvalidToken, Principal, TokenVerifier

bearer = HTTPBearer(auto_error=False, description="POST /api/v1/auth/login 返回的 access_token")

UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}
# A route whose dependency checks the token without ``bearer`` (web.dependencies.authorized) still documents
# the scheme: ``openapi_extra=BEARER_SECURITY`` (the scheme itself is in the document through the other routes).
BEARER_SECURITY: dict[str, Any] = {"security": [{bearer.scheme_name: []}]}

# What a token issued with a temporary password may do: change it, and read who it is.
PASSWORD_CHANGE_ONLY = {("POST", "/api/v1/me/password"), ("GET", "/api/v1/me")}


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


def verified_principal(request: Request, authorization: str | None) -> Principal:
    """The signature step: the principal a genuine ``Bearer`` token names (401 otherwise)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AppError(401, "auth.required", "请先登录", headers=UNAUTHENTICATED)
    try:
        return _verifier(request).verify(token)
    except InvalidToken:
        raise AppError(401, "auth.invalid_token", "登录已失效，请重新登录", headers=UNAUTHENTICATED) from None


def admitted(request: Request, principal: Principal, valid_after_us: int | None) -> Principal:
    """The steps after the signature, given the account's ``valid_after_us`` (freshness, :mod:`.freshness`):
    stale, a temporary password's limit, API keys only where the service takes them."""
    if is_stale(principal, valid_after_us):
        raise AppError(401, "auth.stale", "密码已重置或修改，请使用新密码重新登录", headers=UNAUTHENTICATED)
    if principal.must_change_password and (request.method, request.url.path.rstrip("/")) not in PASSWORD_CHANGE_ONLY:
        raise AppError(403, "auth.password_change_required", "当前使用的是临时密码，请先修改密码")
    if principal.api_key_id and not getattr(request.app.state, "accepts_api_keys", False):
        raise AppError(403, "api_key.forbidden", "API 密钥只能用于本企业的交易和报表接口")
    request.state.principal = principal
    return principal


def credential_versions(request: Request) -> CredentialVersions | None:
    versions: CredentialVersions | None = getattr(request.app.state, "credential_versions", None)
    return versions


async def current_principal(request: Request,
                            credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    principal = verified_principal(request, f"Bearer {credentials.credentials}" if credentials else None)
    versions = credential_versions(request)
    valid_after = await versions.valid_after_us(principal.account_id) if versions is not None else None
    return admitted(request, principal, valid_after)


def require_kind(*kinds: str) -> Callable[..., Awaitable[Principal]]:
    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.kind not in kinds:
            raise AppError(403, "forbidden.role", "当前账户无权执行此操作")
        return principal

    return dependency
