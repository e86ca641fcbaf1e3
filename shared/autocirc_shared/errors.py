"""RFC 9457 problem documents with stable codes and Chinese messages.

Domain code raises :class:`AppError`; :func:`install_error_handlers` turns it, request
validation failures and anything unexpected into ``application/problem+json``.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from .db import OUTAGE_ERRORS, is_outage

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="出错字段（点号路径）")
    code: str = Field(description="稳定的错误代码")
    message: str = Field(description="中文错误说明")


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = []


class AppError(Exception):
    """An expected failure: a status, a stable code, a Chinese detail, optional field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = list(errors or [])
        self.headers = headers or {}
        self.extra = extra


def field_errors(status: int, errors: Sequence[FieldError], detail: str = "提交的数据有误，请按提示修改") -> AppError:
    """A 422-style error whose top-level code is the first field's code (deterministic: form order)."""
    return AppError(status, errors[0].code, detail if len(errors) > 1 else errors[0].message, errors)


def not_found(what: str = "对象") -> AppError:
    return AppError(404, "not_found", f"{what}不存在")


def forbidden(detail: str = "无权执行此操作", code: str = "forbidden") -> AppError:
    return AppError(403, code, detail)


TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
}

# Chinese messages for pydantic's built-in error types (custom validators raise their own).
PYDANTIC_MESSAGES = {
    "missing": ("field.required", "此项为必填项"),
    "string_too_short": ("field.too_short", "内容太短"),
    "string_too_long": ("field.too_long", "内容太长"),
    "string_type": ("field.type", "应为文本"),
    "string_pattern_mismatch": ("field.format", "格式不正确"),
    "int_parsing": ("field.type", "应为整数"),
    "int_type": ("field.type", "应为整数"),
    "float_parsing": ("field.type", "应为数字"),
    "float_type": ("field.type", "应为数字"),
    "decimal_parsing": ("field.type", "应为数字"),
    "decimal_max_places": ("field.decimal_places", "小数位数过多"),
    "bool_parsing": ("field.type", "应为是或否"),
    "bool_type": ("field.type", "应为是或否"),
    "date_parsing": ("field.date", "日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": ("field.date", "日期格式应为 YYYY-MM-DD"),
    "literal_error": ("field.choice", "取值不在允许范围内"),
    "enum": ("field.choice", "取值不在允许范围内"),
    "greater_than": ("field.range", "数值太小"),
    "greater_than_equal": ("field.range", "数值太小"),
    "less_than": ("field.range", "数值太大"),
    "less_than_equal": ("field.range", "数值太大"),
    "too_short": ("field.too_short", "至少需要填写一项"),
    "too_long": ("field.too_long", "项目过多"),
    "list_type": ("field.type", "应为列表"),
    "dict_type": ("field.type", "应为对象"),
    "model_type": ("field.type", "应为对象"),
    "model_attributes_type": ("field.type", "应为对象"),
    "json_invalid": ("body.json", "请求内容不是有效的 JSON"),
    "uuid_parsing": ("field.format", "标识格式不正确"),
    "uuid_type": ("field.format", "标识格式不正确"),
    "extra_forbidden": ("field.unknown", "不允许的字段"),
    "value_error": ("field.invalid", "取值无效"),
}


def _field_path(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def translate_validation_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    out: list[FieldError] = []
    for err in errors:
        etype = err.get("type", "value_error")
        if "." in etype:  # our own PydanticCustomError: type is the stable code, msg the Chinese text
            code, message = etype, err.get("msg", "")
        else:
            code, message = PYDANTIC_MESSAGES.get(etype, ("field.invalid", "取值无效"))
        out.append(FieldError(field=_field_path(err.get("loc", ())), code=code, message=message))
    return out


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

