"""Refuse an oversized image upload before its body is read.

FastAPI parses a multipart form before any dependency runs, so a route-level check of Content-Length comes
too late: a 50 MB upload would be read whole (spooled to disk) before being refused. This ASGI middleware
answers 413 at once when the declared length is too large, and cuts off a body without a declared length
(chunked) as soon as it passes the limit.
"""
from __future__ import annotations

from autocirc_shared.errors import problem_response

from ..domain.images import MAX_BYTES, too_large

PREFIX = "/api/v1/filing/media/"
LIMIT = MAX_BYTES + 64 * 1024  # the image plus generous room for the multipart framing


class _CutOff(Exception):
    pass


class UploadLimit:
    def __init__(self, app, prefix: str = PREFIX, limit: int = LIMIT) -> None:
        self.app, self.prefix, self.limit = app, prefix, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        over = False

        async def limited_receive():
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

        async def guarded_send(message) -> None:
            if not over:  # whatever the app answers to a body cut off by us is replaced by the 413 below
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over:
            await self._refuse(scope, receive, send)

    @staticmethod
    async def _refuse(scope, receive, send) -> None:
        error = too_large()
        await problem_response(error.status, error.code, error.detail, headers={"Connection": "close"})(
            scope, receive, send)
