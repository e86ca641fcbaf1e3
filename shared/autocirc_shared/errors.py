"""Expected failures with stable codes and Chinese messages, and the RFC 9457 problem document's shape.

Domain code raises :class:`AppError`; ``web.problems.install_error_handlers`` turns it, request validation
failures and anything unexpected into ``application/problem+json``. This module needs no web framework and no
database (pydantic only): the import's reader process loads it without FastAPI and SQLAlchemy (40 MiB less).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field


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
        elif etype in ("too_short", "too_long") and isinstance(err.get("input"), str):
            # a text's length checked after a before-validator (``Annotated[str, BeforeValidator, Field(max_length)]``:
            # pydantic's generic length check, whose message is a list's); pydantic-core's own string check would
            # refuse a stored lone surrogate instead of measuring it (tests/security/test_text_edge.py)
            code, message = PYDANTIC_MESSAGES[f"string_{etype}"]
        else:
            code, message = PYDANTIC_MESSAGES.get(etype, ("field.invalid", "取值无效"))
        out.append(FieldError(field=_field_path(err.get("loc", ())), code=code, message=message))
    return out
