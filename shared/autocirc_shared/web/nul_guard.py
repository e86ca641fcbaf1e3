"""Pure ASGI middleware: refuse NUL (``\\u0000``, ``%00``) in a JSON body, a query parameter or the path.

PostgreSQL cannot store NUL in text or JSONB and raises mid-transaction (a 500), SQLite stores it silently,
and a worksheet cannot hold it at all (exports would fail later). Refusing it at the door answers 422 with a
stable code and names the field, the same on every service and in both modes.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from ..errors import FieldError, problem_response

CODE, MESSAGE = "field.control_char", "不能包含控制字符（NUL）"


def _nul_path(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return path or "body" if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return f"{path}.{key!r}".lstrip(".")
        found = _nul_path(item, f"{path}.{key}".lstrip("."))
        if found:
            return found
    return None


class NulGuardMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        field = self._in_url(scope)
        if field:
            await self._refuse(field, scope, receive, send)
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip().lower()
        if not (content_type == b"application/json" or content_type.endswith(b"+json")):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # disconnected: let the app see it
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"\\u0000" in body:
            try:
                field = _nul_path(json.loads(body))
            except ValueError:
                field = None  # not JSON: the app answers body.json
            if field:
                await self._refuse(field, scope, receive, send)
                return
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _in_url(scope) -> str | None:
        if "\x00" in scope.get("path", ""):
            return "path"
        query = scope.get("query_string") or b""
        if b"%00" in query or b"\x00" in query:
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if "\x00" in name or "\x00" in value:
                    return name.replace("\x00", "") or "query"
        return None

    @staticmethod
    async def _refuse(field: str, scope, receive, send) -> None:
        error = FieldError(field=field, code=CODE, message=MESSAGE)
        await problem_response(422, CODE, MESSAGE, [error])(scope, receive, send)
