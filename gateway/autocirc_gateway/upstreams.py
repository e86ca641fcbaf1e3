"""How the gateway reaches a service: the same ASGI call either way.

``InProcessUpstream`` hands the request to the service's ASGI app in this process (embedded
mode); ``HttpUpstream`` streams it over HTTP (distributed mode). Both stream bodies both ways.
"""
from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Protocol

import httpx
from autocirc_shared.web.problems import problem_response
from starlette.types import Receive, Scope, Send

if TYPE_CHECKING:  # the distributed gateway does not load the services' runtime
    from autocirc_shared.service import ServiceRuntime

log = logging.getLogger(__name__)

HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailers",
              b"transfer-encoding", b"upgrade", b"host"}


def forwarded_hops(scope: Scope) -> list[str]:
    """Every X-Forwarded-For entry of the request, in order (left: what the client claims)."""
    return [hop for name, value in scope["headers"] if name.lower() == b"x-forwarded-for"
            for hop in (part.strip() for part in value.decode("latin-1").split(",")) if hop]


def forwarded_for(scope: Scope) -> bytes | None:
    """The request's X-Forwarded-For with the peer appended, as proxies do: one header, what the client sent
    (untrusted) first, the address this gateway saw last, so the right-most entry is always ours."""
    hops = forwarded_hops(scope)
    client = scope.get("client")
    if client:
        hops.append(client[0])
    return ", ".join(hops).encode("latin-1") or None


class Upstream(Protocol):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...
    async def ready(self) -> tuple[bool, Any]: ...
    async def openapi(self) -> dict[str, Any]: ...


class InProcessUpstream:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.runtime.app(scope, receive, send)

    async def ready(self) -> tuple[bool, Any]:
        checks = await self.runtime.readiness()
        return all(checks.values()), checks

    async def openapi(self) -> dict[str, Any]:
        return self.runtime.app.openapi()


class HttpUpstream:
    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = httpx.AsyncClient(base_url=self.base_url, timeout=timeout,
                                        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def body() -> AsyncIterator[bytes]:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                yield message.get("body", b"")
                if not message.get("more_body"):
                    return

        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP | {b"x-forwarded-for"}]
        if (forwarded := forwarded_for(scope)) is not None:
            headers.append((b"x-forwarded-for", forwarded))
        url = scope["raw_path"].decode("latin-1") if scope.get("raw_path") else scope["path"]
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        request = self.client.build_request(scope["method"], url, headers=headers, content=body())
        try:
            response = await self.client.send(request, stream=True)
        except httpx.TimeoutException:
            await problem_response(504, "upstream.timeout", "服务响应超时，请稍后再试")(scope, receive, send)
            return
        except httpx.RequestError as exc:
            log.warning("upstream %s unreachable: %s", self.base_url, exc)
            await problem_response(503, "upstream.unavailable", "服务暂不可用，请稍后再试")(scope, receive, send)
            return
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(k, v) for k, v in response.headers.raw if k.lower() not in HOP_BY_HOP]})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.aclose()

    async def ready(self) -> tuple[bool, Any]:
        try:
            response = await self.client.get("/readyz", timeout=2)  # under the probes' 3 s
            return response.status_code == 200, response.json()
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            return False, {"error": str(exc)}

    async def openapi(self) -> dict[str, Any]:
        response = await self.client.get("/openapi.json", timeout=10)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document

    async def aclose(self) -> None:
        await self.client.aclose()
