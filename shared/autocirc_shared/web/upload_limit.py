"""Refuse an oversized upload (filing's images, portal's attachments) before its body is read.

FastAPI parses a multipart form before any dependency runs, so a route-level check of Content-Length comes
too late: a 50 MB upload would be read whole (spooled to disk) before being refused. This ASGI middleware
answers 413 at once when the declared length is too large, and cuts off a body without a declared length
(chunked) as soon as it passes the limit.
"""
from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import AppError
from .problems import problem_response

FRAMING = 64 * 1024  # generous room for the multipart framing around the file


class _CutOff(Exception):
    pass


class UploadLimit:
    def __init__(self, app: ASGIApp, *, prefix: str, limit: int, refusal: Callable[[], AppError]) -> None:
        self.app, self.prefix, self.limit, self.refusal = app, prefix, limit, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        over = False

        async def limited_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not over:  # whatever the app answers to a body cut off by us is replaced by the 413 below
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = self.refusal()
        await problem_response(error.status, error.code, error.detail, headers={"Connection": "close"})(
            scope, receive, send)
