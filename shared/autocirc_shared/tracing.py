"""OpenTelemetry traces: gateway → service → outbox → bus → consumer, exported by OTLP/HTTP.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) is set: then
:func:`service_tracing` answers ``None`` and every call site skips tracing with one ``is None`` test (no
middleware, no spans, no headers in the envelopes; the SDK is not even imported). On, each service gets a
:class:`ServiceTracing`: a tracer provider of its own (``service.name`` = the service, so the embedded mode's one
process still shows seven services and the gateway), all of a process's providers sharing one batch span
processor and one OTLP exporter (a background thread; requests never wait for an export).

The spans of one sale (``README.md`` → Operations lists them):

- ``POST /api/v1/transactions`` (gateway, SERVER, :class:`TracingMiddleware`): continues the client's
  ``traceparent`` if any and hands its own to the service in the request headers, over HTTP (distributed) as
  in-process (embedded), so both modes propagate the same way;
- ``POST /api/v1/transactions`` (transactions, SERVER): FastAPI's own instrumentation, configured by
  :func:`fastapi_telemetry` (with ``fastapi.*`` operation spans: dependencies, endpoint, serialisation);
- ``outbox write`` (transactions): the unit of work writing the events to the outbox; each envelope's
  ``headers`` get this span's W3C ``traceparent``, so the context is stored with the row (no column, no
  migration) and survives restarts, the journal and dead-letter re-drives;
- ``relay publish`` (transactions, PRODUCER): the relay continuing each row's trace while the bus takes
  (confirms) it; the envelope then carries the publish span's context (also as AMQP headers on RabbitMQ);
- ``apply <event>`` (reports, CONSUMER): the inbox consumer applying one message, child of the publish span;
  a batch is ``apply batch`` with a span link to every message's context (a batch has many parents).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from opentelemetry import propagate, trace
from opentelemetry.trace import Link, Span, SpanKind, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig

    from .messaging.envelope import Envelope

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})  # probes and scrapes: noise, not traces
TRACE_HEADERS = (b"traceparent", b"tracestate", b"baggage")
MAX_LINKS = 1024  # a batch links every message (the SDK's default limit is 128; batches are up to 200)


def tracing_configured(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether traces are to be exported: an OTLP endpoint is set and the SDK is not disabled."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return any(environ.get(name, "").strip() for name in ENDPOINT_VARIABLES)


class _SharedExport:
    """One batch span processor (and OTLP exporter) per process and exporter configuration, shared by the
    providers of every service in it; shut down (flushed) when the last of them stops."""

    _lock = threading.Lock()
    _by_config: dict[tuple[tuple[str, str], ...], _SharedExport] = {}

    def __init__(self, key: tuple[tuple[str, str], ...]) -> None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        self.key = key
        self.processor = BatchSpanProcessor(OTLPSpanExporter())  # endpoint, headers, timeout from OTEL_* variables
        self.users = 0
        atexit.register(self.processor.shutdown)

    @classmethod
    def acquire(cls) -> _SharedExport:
        key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(("OTEL_EXPORTER_OTLP", "OTEL_BSP"))))
        with cls._lock:
            shared = cls._by_config.get(key)
            if shared is None:
                shared = cls._by_config[key] = cls(key)
            shared.users += 1
            return shared

    def release(self) -> None:
        with self._lock:
            self.users -= 1
            if self.users > 0:
                return
            self._by_config.pop(self.key, None)
        self.processor.shutdown()  # type: ignore[no-untyped-call]
        atexit.unregister(self.processor.shutdown)


class ServiceTracing:
    """One service's tracer and the spans of its messaging (outbox, relay, consumer)."""

    def __init__(self, service: str) -> None:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import SpanLimits, TracerProvider

        self.service = service
        self._export: _SharedExport | None = _SharedExport.acquire()
        self.provider = TracerProvider(
            resource=Resource.create({"service.name": service, "service.namespace": "autocirc"}),
            span_limits=SpanLimits(max_links=int(os.environ.get("OTEL_SPAN_LINK_COUNT_LIMIT") or MAX_LINKS)),
            shutdown_on_exit=False)  # the shared processor is shut down once, by its last user
        self.provider.add_span_processor(self._export.processor)
        self.tracer = self.provider.get_tracer("autocirc")
        self.messaging_system = "autocirc"

    def force_flush(self, timeout_millis: int = 10_000) -> bool:
        return self.provider.force_flush(timeout_millis)

    def shutdown(self) -> None:
        """Flush what is left and let go of the shared exporter (idempotent)."""
        export, self._export = self._export, None
        if export is not None:
            self.force_flush()
            export.release()

    # -- the outbox, the relay and the consumer ---------------------------------------------------------------
    @contextlib.contextmanager
    def outbox_write(self, envelopes: Sequence[Envelope]) -> Iterator[None]:
        """Around writing ``envelopes`` to the outbox: each carries this span's context in its headers."""
        with self.tracer.start_as_current_span("outbox write", attributes={
                "messaging.batch.message_count": len(envelopes),
                "autocirc.events": sorted({env.name for env in envelopes})}):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            for env in envelopes:
                env.headers.update(carrier)
            yield

    @contextlib.contextmanager
    def publishing(self, envelopes: Sequence[Envelope]) -> Iterator[None]:
        """Around handing ``envelopes`` to the bus: one PRODUCER span per trace among them (an entry's few
        events share one), child of the context stored with the rows; each envelope then carries its span's."""
        groups: dict[str, list[Envelope]] = {}
        for env in envelopes:
            groups.setdefault(env.headers.get("traceparent", ""), []).append(env)
        spans = []
        for group in groups.values():
            names = sorted({env.name for env in group})
            attributes: dict[str, Any] = {"messaging.system": self.messaging_system,
                                          "messaging.operation.type": "send",
                                          "messaging.batch.message_count": len(group), "autocirc.events": names}
            if len(names) == 1:
                attributes["messaging.destination.name"] = names[0]
            if len(group) == 1:
                attributes["messaging.message.id"] = group[0].message_id
            span = self.tracer.start_span("relay publish", context=propagate.extract(group[0].headers),
                                          kind=SpanKind.PRODUCER, attributes=attributes)
            carrier: dict[str, str] = {}
            propagate.inject(carrier, context=trace.set_span_in_context(span))
            for env in group:
                env.headers = {**env.headers, **carrier}
            spans.append(span)
        try:
            yield
        except BaseException as exc:
            for span in spans:
                span.record_exception(exc)
                span.set_status(StatusCode.ERROR, repr(exc)[:200])
            raise
        finally:
            for span in spans:
                span.end()

    def consuming(self, env: Envelope) -> contextlib.AbstractContextManager[Span]:
        """Around applying one message: a CONSUMER span, child of the producer's (the relay's publish)."""
        return self.tracer.start_as_current_span(
            f"apply {env.name}", context=propagate.extract(env.headers), kind=SpanKind.CONSUMER,
            attributes=_message_attributes(env, self.service))

    def consuming_batch(self, envelopes: Sequence[Envelope]) -> contextlib.AbstractContextManager[Span]:
        """Around applying a batch: one CONSUMER span linked to every message's producer span."""
        links = []
        for env in envelopes:
            context = trace.get_current_span(propagate.extract(env.headers)).get_span_context()
            if context.is_valid:
                links.append(Link(context, {"messaging.message.id": env.message_id}))
        return self.tracer.start_as_current_span(
            "apply batch", context=trace.set_span_in_context(trace.INVALID_SPAN), kind=SpanKind.CONSUMER,
            links=links, attributes={"messaging.operation.type": "process", "messaging.consumer.group.name":
                                     self.service, "messaging.batch.message_count": len(envelopes),
                                     "autocirc.events": sorted({env.name for env in envelopes})})


def _message_attributes(env: Envelope, service: str) -> dict[str, Any]:
    attributes = {"messaging.operation.type": "process", "messaging.destination.name": env.name,
                  "messaging.message.id": env.message_id, "messaging.consumer.group.name": service,
                  "autocirc.producer": env.producer}
    if env.correlation_id:
        attributes["messaging.message.conversation_id"] = env.correlation_id
    return attributes


def service_tracing(service: str) -> ServiceTracing | None:
    """The service's tracing when an OTLP endpoint is configured (read now, from the environment), else None."""
    return ServiceTracing(service) if tracing_configured() else None


def fastapi_telemetry(tracing: ServiceTracing | None) -> TelemetryConfig:
    """``FastAPI(telemetry=...)``: its own server and operation spans on the service's provider, or none at all
    (FastAPI would otherwise look at the global providers on every request). Metrics stay with Prometheus."""
    if tracing is None:
        return {"tracing": False, "metrics": False, "logs": False}
    return {"tracer_provider": tracing.provider, "metrics": False, "logs": False,
            "exclude": lambda scope: scope.get("path") in UNTRACED_PATHS}


class TracingMiddleware:
    """Pure ASGI: the gateway's SERVER span of each request, whose context replaces any ``traceparent`` in the
    request handed on (the upstream, in-process or over HTTP, continues the gateway's span, not the client's).
    ``name_for(path)`` names the span by route (low cardinality), e.g. ``POST /api/v1/transactions``."""

    def __init__(self, app: ASGIApp, tracing: ServiceTracing,
                 name_for: Callable[[str], str | None] | None = None) -> None:
        self.app = app
        self.tracer = tracing.tracer
        self.name_for = name_for or (lambda path: None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNTRACED_PATHS:
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        incoming = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers if k in TRACE_HEADERS}
        method, path = scope["method"], scope["path"]
        route = self.name_for(path)
        attributes = {"http.request.method": method, "url.path": path, "url.scheme": scope.get("scheme", "http")}
        if route:
            attributes["http.route"] = route
        with self.tracer.start_as_current_span(f"{method} {route}" if route else method,
                                               context=propagate.extract(incoming), kind=SpanKind.SERVER,
                                               attributes=attributes) as span:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            scope = {**scope, "headers": [(k, v) for k, v in headers if k not in TRACE_HEADERS]
                     + [(k.encode("latin-1"), v.encode("latin-1")) for k, v in carrier.items()]}

            async def send_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(StatusCode.ERROR)
                await send(message)

            await self.app(scope, receive, send_status)
