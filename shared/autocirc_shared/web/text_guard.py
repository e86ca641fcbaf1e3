"""Pure ASGI middleware: refuse text no field may hold, in every field of every endpoint, at the door.

In a JSON body (any string or key): NUL, lone surrogates and invisible format characters (see
``validation.text``; password fields are checked for the first two only). In a query parameter or the path: NUL.
PostgreSQL cannot store NUL in text or JSONB and raises mid-transaction (a 500), SQLite stores it silently,
a lone surrogate is stored and then breaks every response and workbook that shows it, and a worksheet
cannot hold either. Refusing at the door answers 422 with a stable code and names the field, the same on
every service and in both modes.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import FieldError
from ..validation.issue import Issue
from ..validation.text import NUL, text_issue
from .problems import problem_response


def _bad_text(value: Any, path: str = "", formats: bool = True) -> tuple[str, Issue] | None:
    """The first string (or key) in ``value`` that may not be stored, with its dotted path."""
    if isinstance(value, str):
        issue = text_issue(value, formats=formats)
        return (path or "body", issue) if issue else None
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and (issue := text_issue(key)):
            return f"{path}.{key!r}".lstrip("."), issue
        found = _bad_text(item, f"{path}.{key}".lstrip("."), formats and "password" not in str(key))
        if found:
            return found
    return None


class TextGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        field = self._in_url(scope)
        if field:
            await self._refuse(field, NUL, scope, receive, send)
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip().lower()
        if not (content_type == b"application/json" or content_type.endswith(b"+json")):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # disconnected: let the app see it
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        # Only an escape or a refused character itself can put what is refused into a string, and every refused
        # character is unprintable (Cc, Cs, Cf): a body of printable text is passed at the cost of one C loop,
        # any other parsed (for the field's path, passwords' exemption).
        if b"\\u" in body or not (body.isascii() or body.decode("utf-8", "replace").isprintable()):
            try:
                found = _bad_text(json.loads(body))
            except ValueError:
                found = None  # not JSON: the app answers body.json
            if found:
                await self._refuse(*found, scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _in_url(scope: Scope) -> str | None:
        if "\x00" in scope.get("path", ""):
            return "path"
        query = scope.get("query_string") or b""
        if b"%00" in query or b"\x00" in query:
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if "\x00" in name or "\x00" in value:
                    return name.replace("\x00", "") or "query"
        return None

    @staticmethod
    async def _refuse(field: str, issue: Issue, scope: Scope, receive: Receive, send: Send) -> None:
        error = FieldError(field=field, code=issue.code, message=issue.message)
        await problem_response(422, issue.code, issue.message, [error])(scope, receive, send)
