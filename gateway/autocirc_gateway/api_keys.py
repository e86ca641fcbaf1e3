"""API keys at the gateway: a request with ``Authorization: Bearer ak_...`` is exchanged with identity
for a short-lived token of the key's enterprise (see services/identity/.../api/api_keys.py), limited per
key, and routed with that token, only to the services that serve dealer software (transactions, reports).

The exchange goes through identity's upstream as an ASGI call, so it is the same in-process (embedded)
and over HTTP (distributed)."""
from __future__ import annotations

import json
import math
from typing import Any

from autocirc_shared.auth.api_keys import EXCHANGE_PATH
from autocirc_shared.web.problems import problem_response
from starlette.responses import JSONResponse
from starlette.types import Message, Scope

from .ratelimit import SlidingWindow
from .upstreams import Upstream

KEY_SERVICES = frozenset({"transactions", "reports"})


async def asgi_json(app: Upstream, scope: Scope, method: str, path: str, payload: dict[str, Any]
                    ) -> tuple[int, dict[str, Any]]:
    """Call ``app`` with a JSON body outside of the client's request; (status, JSON body or {})."""
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k, v) for k, v in scope["headers"] if k.lower() in (b"x-request-id", b"x-forwarded-for")]
    inner: Scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
             "client": scope.get("client"), "server": scope.get("server")}
    sent = False
    status = 502
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(inner, receive, send)
    try:
        answer: dict[str, Any] = json.loads(b"".join(chunks) or b"{}")
        return status, answer
    except ValueError:
        return status, {}


class KeyExchange:
    def __init__(self, identity: Upstream | None, per_minute: int) -> None:
        self.identity = identity
        self.limit = SlidingWindow(per_minute)

    async def admit(self, scope: Scope, service: str, key: str) -> JSONResponse | None:
        """None when the request may go on (its Authorization now carries the exchanged token), else the
        problem response to answer with: 401 unknown or revoked key, 403 a service keys may not use,
        429 the key's rate limit."""
        if self.identity is None:
            return problem_response(503, "upstream.unavailable", "服务暂不可用")
        status, body = await asgi_json(self.identity, scope, "POST", EXCHANGE_PATH, {"key": key})
        if status == 401:
            return problem_response(401, "auth.invalid_key", "API 密钥无效或已注销", headers={"WWW-Authenticate": "Bearer"})
        if status != 200 or "token" not in body:
            return problem_response(503, "upstream.unavailable", "服务暂不可用")
        if service not in KEY_SERVICES:
            return problem_response(403, "api_key.forbidden", "API 密钥只能用于本企业的交易和报表接口")
        wait = self.limit.hit(body["key_id"])
        if wait:
            return problem_response(429, "rate.limited", "该 API 密钥的请求过于频繁，请稍后再试",
                                    headers={"Retry-After": str(max(1, math.ceil(wait)))})
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
        scope["headers"].append((b"authorization", b"Bearer " + body["token"].encode()))
        return None
