"""OpenTelemetry (issue 15): one sale's spans joined in one trace, gateway → transactions → outbox → relay → bus →
reports, exported over OTLP/HTTP to a real receiver on loopback (tests/support/otlp.py), in the embedded mode
(SQLite, in-process bus) and on PostgreSQL + RabbitMQ; a batch's span links every message; off when no endpoint
is configured."""
from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from autocirc_gateway.app import build_gateway
from autocirc_gateway.settings import GatewaySettings
from autocirc_gateway.upstreams import HttpUpstream
from autocirc_shared.events.transactions import TransactionFacts, TransactionRecorded
from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.tables import outbox
from autocirc_shared.tracing import TracingMiddleware
from sqlalchemy import select

from tests.support.api import bearer
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body
from tests.support.otlp import Received, otlp_receiver
from tests.support.system import patched_env, running_system, system_env
from tests.support.waiting import eventually

TRACED = {"OTEL_BSP_SCHEDULE_DELAY": "50"}  # export every 50 ms, so the test does not wait for 5 s batches


@pytest.fixture(scope="module", params=["embedded", "rabbitmq"])
async def traced(request, tmp_path_factory):
    """A whole system exporting its traces to an OTLP receiver: (system, receiver)."""
    if request.param == "embedded":
        parts = {"pg_url": None, "amqp_url": None}
    else:
        parts = {"pg_url": request.getfixturevalue("pg_url"), "amqp_url": request.getfixturevalue("amqp_url")}
    with otlp_receiver() as receiver:
        env = system_env(tmp_path_factory.mktemp(f"traced-{request.param}"), **parts,
                         OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint, **TRACED)
        async with running_system(env) as system:
            yield system, receiver
        for tracing in tracings(system):
            tracing.shutdown()


def tracings(system):
    return [system.app.tracing, *(runtime.tracing for runtime in system.runtimes.values())]


def ancestors(span: Received, spans: list[Received]) -> list[Received]:
    by_id = {s.span_id: s for s in spans}
    chain = []
    while span.parent_id in by_id:
        span = by_id[span.parent_id]
        chain.append(span)
    return chain


def one(spans: list[Received], **match) -> Received:
    found = [s for s in spans if all(getattr(s, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, spans)
    return found[0]


async def test_one_sales_spans_are_joined_in_one_trace(traced):
    system, receiver = traced
    client = system.client
    _, token = await confirmed_enterprise(client)
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    created = await client.post("/api/v1/transactions", json=transaction_body(vehicle={"vin": make_vin()}),
                                headers={**bearer(token), "traceparent": f"00-{trace_id}-{client_span}-01"})
    assert created.status_code == 201, created.text
    transaction_id = created.json()["id"]

    def applied_by_reports(span: Received) -> bool:
        return span.service == "reports" and span.kind == "CONSUMER" and (
            span.trace_id == trace_id or any(t == trace_id for t, _ in span.links))

    async def sale_applied():
        return [s for s in receiver.received() if applied_by_reports(s)]

    [applied] = await eventually(sale_applied, timeout=30)
    spans = receiver.trace(trace_id)

    gateway = one(spans, service="gateway", kind="SERVER")
    assert gateway.parent_id == client_span  # the client's traceparent is continued
    assert gateway.name == "POST /api/v1/transactions" and gateway.attributes["http.response.status_code"] == 201
    request = one(spans, service="transactions", kind="SERVER")
    assert request.parent_id == gateway.span_id  # in-process or over HTTP, the same propagation (headers)
    assert request.name == "POST /api/v1/transactions" and request.attributes["http.route"] == "/api/v1/transactions"
    write = one(spans, service="transactions", name="outbox write")
    assert request in ancestors(write, spans)  # under the endpoint's own span (fastapi.endpoint)
    assert "transactions.recorded.v1" in write.attributes["autocirc.events"]
    publish = one(spans, service="transactions", name="relay publish", kind="PRODUCER")
    assert publish.parent_id == write.span_id
    assert "transactions.recorded.v1" in publish.attributes["autocirc.events"]
    if applied.name == "apply batch":  # received together with other messages: linked, not parented
        assert (trace_id, publish.span_id) in applied.links
    else:
        assert applied.name == "apply transactions.recorded.v1"
        assert applied.trace_id == trace_id and applied.parent_id == publish.span_id
        assert applied.attributes["messaging.destination.name"] == "transactions.recorded.v1"
        assert applied.attributes["messaging.message.conversation_id"] == created.headers["x-request-id"]
    assert not any(s.error for s in spans), [s for s in spans if s.error]

    # the context was stored with the outbox row, inside the envelope (no column of its own)
    async with system.runtime("transactions").db.sessionmaker() as session:
        envelopes = (await session.execute(select(outbox.c.envelope).where(outbox.c.name == "transactions.recorded.v1")
                                           )).scalars().all()
    [stored] = [e for e in envelopes if e["payload"]["transaction_id"] == transaction_id]
    assert stored["headers"]["traceparent"] == f"00-{trace_id}-{write.span_id}-01"


def recorded(enterprise_id: str, n: int) -> TransactionRecorded:
    facts = TransactionFacts(enterprise_id=enterprise_id, region_code="110101", trade_date=date(2026, 10, 1 + n),
                             report_category="suv", amount_yuan=Decimal("50000.25"), trade_type="direct",
                             transfer="local", usage="non_operating", origin="domestic",
                             first_registration_date=date(2018, 3, 1))
    return TransactionRecorded(transaction_id=str(uuid.uuid4()), version=1, facts=facts, recorded_at=datetime.now(UTC))


async def test_a_batch_is_one_span_linked_to_every_message(traced):
    system, receiver = traced
    enterprise = str(uuid.uuid4())
    parents = [(secrets.token_hex(16), secrets.token_hex(8)) for _ in range(3)]
    envelopes = []
    for n, (trace_id, span_id) in enumerate(parents):
        env = Envelope.wrap(recorded(enterprise, n), "transactions")
        env.headers["traceparent"] = f"00-{trace_id}-{span_id}-01"
        envelopes.append(env)
    await system.runtime("reports").consumer.apply_batch(envelopes)

    async def batch_span():
        return [s for s in receiver.received() if s.name == "apply batch" and set(parents) <= set(s.links)]

    [batch] = await eventually(batch_span, timeout=15)
    assert batch.service == "reports" and batch.kind == "CONSUMER" and batch.parent_id == ""
    assert batch.attributes["messaging.batch.message_count"] == 3
    assert batch.trace_id not in {t for t, _ in parents}  # its own trace: a batch has many parents


async def test_tracing_is_off_without_an_endpoint(embedded):
    """No OTEL_EXPORTER_OTLP_ENDPOINT (the embedded fixture): no tracer, no middleware, no trace headers stored."""
    assert embedded.app.tracing is None
    assert all(runtime.tracing is None for runtime in embedded.runtimes.values())
    layer = embedded.app
    while layer is not None:
        assert not isinstance(layer, TracingMiddleware)
        layer = getattr(layer, "app", None)
    _, token = await confirmed_enterprise(embedded.client)
    created = await embedded.client.post("/api/v1/transactions", json=transaction_body(vehicle={"vin": make_vin()}),
                                         headers=bearer(token))
    assert created.status_code == 201, created.text
    async with embedded.runtime("transactions").db.sessionmaker() as session:
        envelopes = (await session.execute(select(outbox.c.envelope))).scalars().all()
    assert envelopes and all(e["headers"] == {} for e in envelopes)


async def test_the_gateway_hands_its_span_to_an_http_upstream_in_the_traceparent_header(tmp_path):
    """Distributed mode: the service behind HttpUpstream is sent the gateway's span as its parent (the client's
    own traceparent continued, not passed on)."""
    seen: list[dict] = []

    async def filing(scope, receive, send):
        seen.append({k.decode(): v.decode() for k, v in scope["headers"] if k in (b"traceparent", b"tracestate")})
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    upstream = HttpUpstream("http://filing")
    await upstream.client.aclose()
    upstream.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=filing), base_url="http://filing")
    with otlp_receiver() as receiver:
        with patched_env({"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, **TRACED}):
            app = build_gateway(GatewaySettings(data_dir=tmp_path), {"filing": upstream})
        try:
            trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
                answer = await client.get("/api/v1/public/filings/x", headers={  # public: no token needed
                    "traceparent": f"00-{trace_id}-{client_span}-01", "tracestate": "vendor=1"})
            assert answer.status_code == 204
            app.tracing.force_flush()
            gateway = one(receiver.trace(trace_id), service="gateway")
        finally:
            app.tracing.shutdown()
            await upstream.aclose()
    assert gateway.parent_id == client_span and gateway.name == "GET /api/v1/public/filings"
    assert seen == [{"traceparent": f"00-{trace_id}-{gateway.span_id}-01", "tracestate": "vendor=1"}]
