"""FastAPI dependencies: every service checks the token itself (defence in depth behind the gateway)."""
from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..errors import AppError
from .tokens import InvalidToken, Principal, TokenVerifier

bearer = HTTPBearer(auto_error=False, description="POST /api/v1/auth/login 返回的 access_token")

UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}


def _verifier(request: Request) -> TokenVerifier:
    return request.app.state.token_verifier


async def current_principal(request: Request,
                            credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    if credentials is None:
        raise AppError(401, "auth.required", "请先登录", headers=UNAUTHENTICATED)
    try:
        principal = _verifier(request).verify(credentials.credentials)
    except InvalidToken:
        raise AppError(401, "auth.invalid_token", "登录已失效，请重新登录", headers=UNAUTHENTICATED) from None
    if principal.api_key_id and not getattr(request.app.state, "accepts_api_keys", False):
        raise AppError(403, "api_key.forbidden", "API 密钥只能用于本企业的交易和报表接口")
    request.state.principal = principal
    return principal


def require_kind(*kinds: str) -> Callable[..., Principal]:
    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.kind not in kinds:
            raise AppError(403, "forbidden.role", "当前账户无权执行此操作")
        return principal

    return dependency
