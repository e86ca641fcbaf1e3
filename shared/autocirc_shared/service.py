"""The runtime every service is built on: app, database, migrations, bus, relay, consumer.

A service module declares its name, routers, migrations folder and subscriptions and gets a
:class:`ServiceRuntime`. Run alone (distributed mode), the FastAPI lifespan starts it; in the
embedded mode the gateway starts every runtime itself, handing them one in-process bus.
"""
from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response

from .auth.freshness import CACHE_SECONDS, CREDENTIALS_SUBSCRIPTION, CredentialVersions
from .auth.tokens import TokenVerifier
from .db import ensure_database, service_database, service_database_url
from .logging import configure_logging
from .messaging.bus import MessageBus
from .messaging.factory import bus_from_settings
from .messaging.inbox import InboxConsumer, Subscription
from .messaging.outbox import OutboxRelay
from .messaging.unit_of_work import UnitOfWork
from .migrations import upgrade_head
from .settings import CommonSettings
from .tracing import fastapi_telemetry, service_tracing
from .web.metrics import (
    EVENTS_APPLIED,
    EVENTS_DUPLICATE,
    OUTBOX_PENDING,
    OUTBOX_PUBLISHED,
    QUEUE_DEAD_LETTERS,
    QUEUE_READY,
    MetricsMiddleware,
    metrics_response,
)
from .web.problems import install_error_handlers
from .web.request_id import RequestIdMiddleware
from .web.responses import SafeJSONResponse
from .web.text_guard import TextGuardMiddleware

log = logging.getLogger(__name__)

# on_start hooks run once during start(); background tasks run from the end of start() until stop() cancels them.
Hook = Callable[["ServiceRuntime"], Coroutine[Any, Any, None]]
SHUTDOWN_GRACE_SECONDS = 10
# what every service consumes besides its own handlers: every service refuses tokens older than the account's
# last password change (auth/freshness)
RUNTIME_SUBSCRIPTIONS = (CREDENTIALS_SUBSCRIPTION,)


# Collect the youngest generation after this many net new container objects instead of CPython's 700: a
# request leaves few objects behind, but with 700 the collector ran ~0.3 times per used-car entry at ~0.7 ms each.
YOUNG_COLLECTION_THRESHOLD = 20_000


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Around serving, once started: what start-up built (modules, apps, table metadata, caches: most of the heap)
    is moved out of the cyclic collector's view (``gc.freeze``), and the youngest generation is collected less
    often (:data:`YOUNG_COLLECTION_THRESHOLD`). Measured on the embedded entry path (bench/bench_entry.py): the
    collector's time per entry 1.2 ms → 0.4 (freeze) → 0.02 (threshold). Both undone at shutdown, so a process
    that starts many (tests) gives their cycles back to the collector."""
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], YOUNG_COLLECTION_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class ServiceRuntime:
    def __init__(
        self,
        name: str,
        settings: CommonSettings,
        *,
        title: str,
        migrations_dir: Path,
        routers: Sequence[APIRouter] = (),
        subscriptions: Sequence[Subscription] = (),
        on_start: Sequence[Hook] = (),
        background: Sequence[Hook] = (),
        bus: MessageBus | None = None,
        credential_cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self.name = name
        self.settings = settings
        self.migrations_dir = migrations_dir
        self.subscriptions = [*subscriptions, *RUNTIME_SUBSCRIPTIONS]
        self.on_start = list(on_start)
        self.background = list(background)
        self.db = service_database(settings, name)
        self.owns_bus = bus is None
        self.bus = bus or bus_from_settings(settings)
        self.tracing = service_tracing(name)  # None unless OTEL_EXPORTER_OTLP_ENDPOINT is set
        self.relay = OutboxRelay(self.db, self.bus, batch=settings.outbox_batch, poll_seconds=settings.outbox_poll_seconds,
                                 tracing=self.tracing)
        self.consumer = (InboxConsumer(name, self.db, self.subscriptions, self.relay, max_batch=settings.bus_batch,
                                       tracing=self.tracing)
                         if self.subscriptions else None)
        self.credential_versions = CredentialVersions(self.db, credential_cache_seconds)
        self._tasks: list[asyncio.Task[None]] = []
        self.started = False
        self.app = self._build_app(title, routers)

    # wiring
    def _build_app(self, title: str, routers: Sequence[APIRouter]) -> FastAPI:
        @contextlib.asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            configure_logging(self.settings.log_level)
            await self.start()
            try:
                with frozen_heap():
                    yield
            finally:
                await self.stop()

        app = FastAPI(title=title, version="1.0.0", lifespan=lifespan, default_response_class=SafeJSONResponse,
                      telemetry=fastapi_telemetry(self.tracing))
        app.state.runtime = self
        app.state.token_verifier = TokenVerifier(self.settings.public_key_path)
        app.state.credential_versions = self.credential_versions
        install_error_handlers(app)
        for router in routers:
            app.include_router(router)
        app.add_api_route("/healthz", self._healthz, include_in_schema=False)
        app.add_api_route("/readyz", self._readyz, include_in_schema=False)
        app.add_api_route("/metrics", self._metrics, include_in_schema=False)
        app.add_middleware(TextGuardMiddleware)
        app.add_middleware(MetricsMiddleware, service=self.name)
        app.add_middleware(RequestIdMiddleware)
        return app

    def uow(self, *, autocommit: bool = False) -> UnitOfWork:
        return UnitOfWork(self.db, self.name, self.relay, autocommit=autocommit)

    # lifecycle
    async def migrate(self) -> None:
        """Create the service's database if missing and bring it to the head of its Alembic chain."""
        await ensure_database(self.settings, self.name)
        await upgrade_head(self.migrations_dir, service_database_url(self.settings, self.name, direct=True))

    async def start(self) -> None:
        if self.started:
            return
        await self.migrate()
        for hook in self.on_start:
            await hook(self)
        if self.consumer is not None:
            await self.bus.subscribe(self.name, self.consumer.patterns, self.consumer)
        if self.owns_bus:
            self._tasks.append(asyncio.create_task(self.bus.start(), name=f"{self.name}-bus"))
        self._tasks.append(asyncio.create_task(self.relay.run_forever(), name=f"{self.name}-relay"))
        for background in self.background:
            name = f"{self.name}-{getattr(background, '__name__', 'background')}"
            self._tasks.append(asyncio.create_task(background(self), name=name))
        self.started = True
        log.info("service %s started", self.name)

    async def stop(self) -> None:
        """Cancel the background tasks and wait for them a bounded time: shutdown never hangs on one."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=SHUTDOWN_GRACE_SECONDS)
            if pending:
                log.warning("service %s: %s did not stop within %ss", self.name,
                            ", ".join(sorted(t.get_name() for t in pending)), SHUTDOWN_GRACE_SECONDS)
        self._tasks.clear()
        if self.owns_bus:
            await self.bus.stop()
        await self.db.dispose()
        if self.tracing is not None:
            self.tracing.force_flush()
        self.started = False

    # endpoints
    async def _healthz(self) -> dict[str, str]:
        return {"status": "ok", "service": self.name}

    async def readiness(self) -> dict[str, bool]:
        return {"database": await self.db.ping(), "bus": self.bus.is_connected(), "started": self.started}

    async def _readyz(self) -> JSONResponse:
        checks = await self.readiness()
        ok = all(checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "service": self.name, "checks": checks},
                            status_code=200 if ok else 503)

    async def _metrics(self) -> Response:
        with contextlib.suppress(Exception):
            OUTBOX_PENDING.labels(self.name).set(await self.relay.pending())
        OUTBOX_PUBLISHED.labels(self.name).set(self.relay.published)
        if self.consumer is not None:
            EVENTS_APPLIED.labels(self.name).set(self.consumer.applied)
            EVENTS_DUPLICATE.labels(self.name).set(self.consumer.duplicates)
            with contextlib.suppress(Exception):  # a disconnected bus leaves the last figures standing
                depth = await self.bus.queue_depth(self.name)
                QUEUE_READY.labels(self.name).set(depth.ready)
                QUEUE_DEAD_LETTERS.labels(self.name).set(depth.dead_letters)
        return metrics_response()
