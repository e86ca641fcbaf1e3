"""Prometheus metrics. One registry per process; the ``service`` label tells services apart
in embedded mode where they share a process."""
from __future__ import annotations

import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUESTS = Counter("autocirc_http_requests_total", "HTTP requests", ["service", "method", "status"])
HTTP_LATENCY = Histogram("autocirc_http_request_seconds", "HTTP request latency", ["service"])
OUTBOX_PENDING = Gauge("autocirc_outbox_pending", "Outbox rows not yet confirmed by the bus", ["service"])
OUTBOX_PUBLISHED = Gauge("autocirc_outbox_published", "Events published by this process's relay", ["service"])
EVENTS_APPLIED = Gauge("autocirc_events_applied", "Events applied by this process's consumer", ["service"])
QUEUE_READY = Gauge("autocirc_queue_ready", "Messages waiting in the service's queue", ["service"])
QUEUE_DEAD_LETTERS = Gauge("autocirc_queue_dead_letters", "Messages in the service's dead-letter queue", ["service"])
EVENTS_DUPLICATE = Gauge("autocirc_events_duplicates", "Redelivered events skipped by the inbox", ["service"])


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        self.latency = HTTP_LATENCY.labels(service)
        self.requests: dict[tuple[str, int], Any] = {}  # (method, status) → its counter (labels() costs a lookup)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 500}
        started = time.perf_counter()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            key = (scope.get("method", ""), status["code"])
            counter = self.requests.get(key)
            if counter is None:
                counter = self.requests[key] = HTTP_REQUESTS.labels(self.service, key[0], str(key[1]))
            counter.inc()
            self.latency.observe(time.perf_counter() - started)


def metrics_response() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
