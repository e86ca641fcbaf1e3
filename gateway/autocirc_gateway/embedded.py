"""Embedded mode (``make run``): every service and the gateway in one process, one port.

Each service keeps its own database (SQLite files under AUTOCIRC_DATA_DIR unless
AUTOCIRC_DATABASE_URL is set) and talks to the others only through the bus, which here is
the in-process adapter unless AUTOCIRC_AMQP_URL is set. The service code is unchanged.
"""
from __future__ import annotations

import contextlib
import importlib

from autocirc_shared.messaging.factory import bus_from_settings
from autocirc_shared.service import ServiceRuntime, frozen_heap

from .app import build_gateway
from .settings import SERVICES, GatewaySettings
from .upstreams import InProcessUpstream


def create_runtime(service: str, bus) -> ServiceRuntime:
    """One service's runtime from its composition root (``autocirc_<service>.main``), on the given bus."""
    module = importlib.import_module(f"autocirc_{service.replace('-', '_')}.main")
    return module.create_runtime(bus=bus)


def create_runtimes(settings: GatewaySettings, bus) -> dict[str, ServiceRuntime]:
    return {service: create_runtime(service, bus) for service in SERVICES}


def create_app(settings: GatewaySettings | None = None):
    settings = settings or GatewaySettings()
    bus = bus_from_settings(settings)
    runtimes = create_runtimes(settings, bus)

    @contextlib.asynccontextmanager
    async def lifespan():
        for runtime in runtimes.values():  # identity first: it creates the signing keys
            await runtime.start()
        await bus.start()
        try:
            with frozen_heap():
                yield
        finally:
            for runtime in reversed(list(runtimes.values())):
                await runtime.stop()
            await bus.stop()

    app = build_gateway(settings, {s: InProcessUpstream(r) for s, r in runtimes.items()}, lifespan)
    app.runtimes = runtimes  # type: ignore[attr-defined]  # tests reach the runtimes through this
    app.bus = bus  # type: ignore[attr-defined]
    return app
