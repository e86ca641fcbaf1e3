"""The gateway ASGI application, the same for embedded and distributed mode; only the
upstreams differ."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator, Callable

from autocirc_shared.auth.api_keys import looks_like_key
from autocirc_shared.auth.tokens import InvalidToken, TokenVerifier
from autocirc_shared.logging import configure_logging
from autocirc_shared.tracing import TracingMiddleware, fastapi_telemetry, service_tracing
from autocirc_shared.web.client_address import with_client_address
from autocirc_shared.web.metrics import MetricsMiddleware, metrics_response
from autocirc_shared.web.problems import problem_response
from autocirc_shared.web.request_id import RequestIdMiddleware
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse

from .api_keys import KeyExchange
from .openapi import merge_openapi
from .ratelimit import SlidingWindow
from .routing import STUB_PREFIXES, is_public, route_prefix, service_for
from .settings import GatewaySettings
from .spa import mount_spa
from .upstreams import Upstream, forwarded_hops

log = logging.getLogger(__name__)


class Dispatcher:
    """Routes /api and /stub requests to upstreams after the token and rate checks;
    everything else goes to the gateway's own FastAPI app."""

    def __init__(self, settings: GatewaySettings, upstreams: dict[str, Upstream], own: FastAPI) -> None:
        self.settings = settings
        self.upstreams = upstreams
        self.own = own
        self.verifier = TokenVerifier(settings.public_key_path)
        self.limits = {
            ("POST", "/api/v1/auth/login"): SlidingWindow(settings.rate_login_per_minute),
            ("POST", "/api/v1/enterprises"): SlidingWindow(settings.rate_register_per_minute),
            ("POST", "/api/v1/auth/password-reset"): SlidingWindow(settings.rate_password_reset_per_minute),
            ("POST", "/api/v1/auth/password-reset/confirm"): SlidingWindow(settings.rate_password_reset_per_minute),
        }
        self.public_limit = SlidingWindow(settings.rate_public_per_minute)
        self.keys = KeyExchange(upstreams.get("identity"), settings.rate_api_key_per_minute)

    def _client_ip(self, scope) -> str:
        if self.settings.trust_forwarded_for:
            # The trusted proxy appends the peer it saw, so only the right-most entry is its word; everything
            # left of it came from the client, who could otherwise pick a fresh IP for every request.
            if hops := forwarded_hops(scope):
                return hops[-1]
        return (scope.get("client") or ("unknown",))[0]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.own(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        service = service_for(path)
        if service is not None and path.startswith(STUB_PREFIXES) and not self.settings.police_stub_public:
            service = None  # the police stub is not part of the public API (AUTOCIRC_POLICE_STUB_PUBLIC)
        if service is None:
            if path.startswith(("/api/", *STUB_PREFIXES)):
                await problem_response(404, "not_found", "请求的接口不存在")(scope, receive, send)
            else:
                await self.own(scope, receive, send)
            return
        rejection = await self._check(scope, service, method, path.rstrip("/") or "/")
        if rejection is not None:
            await rejection(scope, receive, send)
            return
        upstream = self.upstreams.get(service)
        if upstream is None:
            await problem_response(503, "upstream.unavailable", "服务暂不可用")(scope, receive, send)
            return
        await upstream(with_client_address(scope, self._client_ip(scope)), receive, send)

    async def _check(self, scope, service: str, method: str, path: str):
        limiter = self.limits.get((method, path)) or (self.public_limit if path.startswith("/api/v1/public/") else None)
        if limiter is not None:
            wait = limiter.hit(self._client_ip(scope))
            if wait:
                return problem_response(429, "rate.limited", "请求过于频繁，请稍后再试",
                                        headers={"Retry-After": str(max(1, math.ceil(wait)))})
        if is_public(method, path):
            return None
        auth = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return problem_response(401, "auth.required", "请先登录", headers={"WWW-Authenticate": "Bearer"})
        if looks_like_key(token.strip()):
            return await self.keys.admit(scope, service, token.strip())
        try:
            self.verifier.verify(token.strip())
        except InvalidToken:
            return problem_response(401, "auth.invalid_token", "登录已失效，请重新登录",
                                    headers={"WWW-Authenticate": "Bearer"})
        return None


def build_gateway(settings: GatewaySettings, upstreams: dict[str, Upstream],
                  lifespan: Callable[[], contextlib.AbstractAsyncContextManager] | None = None):
    """The whole gateway: request ids, traces and metrics around the dispatcher."""
    tracing = service_tracing("gateway")  # None (and no middleware) unless OTEL_EXPORTER_OTLP_ENDPOINT is set

    @contextlib.asynccontextmanager
    async def own_lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level)
        if lifespan is None:
            yield
        else:
            async with lifespan():
                yield
        for upstream in upstreams.values():
            if hasattr(upstream, "aclose"):
                await upstream.aclose()
        if tracing is not None:
            tracing.force_flush()

    own = FastAPI(title="autocirc gateway", docs_url=None, redoc_url=None, openapi_url=None, lifespan=own_lifespan,
                  telemetry=fastapi_telemetry(None))  # the gateway's span is TracingMiddleware's
    cache: dict[str, dict] = {}

    @own.get("/healthz", include_in_schema=False)
    async def healthz():
        return {"status": "ok"}

    @own.get("/readyz", include_in_schema=False)
    async def readyz():
        # asked all at once: one slow service costs the probe one timeout, not one per service
        answers = await asyncio.gather(*(upstream.ready() for upstream in upstreams.values()))
        results = dict(zip(upstreams, answers))
        not_ready = sorted(name for name, (ok, _) in results.items() if not ok)
        body = {"status": "ok" if not not_ready else "unavailable", "not_ready": not_ready,
                "services": {name: detail for name, (_, detail) in results.items()}}
        return JSONResponse(body, status_code=200 if not not_ready else 503)

    @own.get("/openapi.json", include_in_schema=False)
    async def openapi():
        if "doc" not in cache:
            documents = {}
            for name, upstream in upstreams.items():
                try:
                    documents[name] = await upstream.openapi()
                except Exception as exc:  # a service that is down is missing from the docs, not fatal
                    log.warning("no OpenAPI from %s: %s", name, exc)
            merged = merge_openapi(documents, title="autocirc 全国汽车流通信息管理应用", version="1.0.0",
                                   stub=settings.police_stub_public)
            if len(documents) < len(upstreams):
                return JSONResponse(merged)
            cache["doc"] = merged
        return JSONResponse(cache["doc"])

    @own.get("/docs", include_in_schema=False)
    async def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="autocirc API 文档")

    @own.get("/metrics", include_in_schema=False)
    async def metrics():
        return metrics_response()

    mount_spa(own)  # the web client at "/" and every other non-API GET path; registered last

    app = Dispatcher(settings, upstreams, own)
    inner = MetricsMiddleware(app, service="gateway")
    if tracing is not None:
        inner = TracingMiddleware(inner, tracing, name_for=route_prefix)
    outer = RequestIdMiddleware(inner)
    outer.gateway_settings, outer.openapi_cache = settings, cache  # type: ignore[attr-defined]  # for tests
    outer.tracing = tracing  # type: ignore[attr-defined]
    return outer
