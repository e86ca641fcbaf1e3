"""Problem documents (RFC 9457) as HTTP answers: :class:`~autocirc_shared.errors.AppError`, request validation
failures, HTTP errors, database outages and anything unexpected become ``application/problem+json``."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..db import OUTAGE_ERRORS, is_outage
from ..errors import AppError, FieldError, Problem, translate_validation_errors

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
}


def problem_response(status: int, code: str, detail: str, errors: Sequence[FieldError] = (),
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = Problem(title=TITLES.get(status, "Error"), status=status, detail=detail, code=code, errors=list(errors))
    content = body.model_dump()
    content.update(extra)
    return JSONResponse(content, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


HTTP_DEFAULTS = {
    400: ("request.bad", "请求格式不正确"),
    401: ("auth.required", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method.not_allowed", "不支持的请求方法"),
    413: ("request.too_large", "请求内容过大"),
    415: ("media.type", "不支持的内容类型"),
}


def _not_json(request: Request, exc: RequestValidationError) -> bool:
    """A JSON endpoint was sent another media type: FastAPI then validates the raw bytes as the whole body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type or content_type == "application/json" or content_type.endswith("+json"):
        return False
    return any(tuple(err.get("loc", ())) == ("body",) for err in exc.errors())


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return problem_response(exc.status, exc.code, exc.detail, exc.errors, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if _not_json(request, exc):
            return problem_response(415, "body.media_type", "请求内容类型不受支持，请以 application/json 提交")
        errors = translate_validation_errors(exc.errors())
        detail = errors[0].message if len(errors) == 1 else "提交的数据有误，请按提示修改"
        return problem_response(422, errors[0].code if errors else "validation", detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, detail = HTTP_DEFAULTS.get(exc.status_code, ("error", "请求失败"))
        if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii():
            detail = exc.detail
        return problem_response(exc.status_code, code, detail, headers=getattr(exc, "headers", None))

    async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
        """The database is unreachable: 503 with Retry-After (try again later), not a 500."""
        if isinstance(exc, sa_exc.DBAPIError) and not is_outage(exc):
            log.exception("unhandled database error")
            return problem_response(500, "internal", "系统内部错误，请稍后再试")
        log.warning("dependency unavailable: %r", exc)
        return problem_response(503, "service.unavailable", "服务暂时不可用，请稍后再试",
                                headers={"Retry-After": "5"})

    @app.exception_handler(sa_exc.IntegrityError)
    async def _conflict(_: Request, exc: sa_exc.IntegrityError) -> JSONResponse:
        """A unique or foreign key the checks before the write could not see (a concurrent request won):
        the same 409 in both modes, never a 500; routes that know the field translate it themselves."""
        log.warning("integrity conflict: %s", type(exc.orig).__name__)
        return problem_response(409, "conflict.concurrent", "数据已被他人同时修改或已存在，请刷新后重试")

    for outage in OUTAGE_ERRORS:
        app.add_exception_handler(outage, _unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem_response(500, "internal", "系统内部错误，请稍后再试")
