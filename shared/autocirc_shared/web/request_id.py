"""Pure ASGI middleware: every request gets an X-Request-ID (the client's, if sane) that
reaches the logs (context variable), the events it causes (correlation id) and the response."""
from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..context import REQUEST_ID_HEADER, correlation_id_var, new_id, request_id_var

SCOPE_KEY = "autocirc.request_id"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or SCOPE_KEY in scope:  # an outer one in this process has done it all
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _SANE.match(incoming) else new_id()
        if rid != incoming:  # pass the id on to whatever this app calls in-process
            headers = [(k, v) for k, v in scope.get("headers") or [] if k != b"x-request-id"]
            scope = {**scope, "headers": headers + [(b"x-request-id", rid.encode())]}
        # An app called in-process in this task (the embedded gateway's services) sees the id set: the context
        # variables hold it, and this send puts it on the response.
        scope = {**scope, SCOPE_KEY: rid}
        t1, t2 = request_id_var.set(rid), correlation_id_var.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((REQUEST_ID_HEADER.lower().encode(), rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(t1)
            correlation_id_var.reset(t2)
