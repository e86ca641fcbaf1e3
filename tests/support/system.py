"""Bring the whole system up in this process (the embedded composition) against the
configured parts: real PostgreSQL + RabbitMQ, or SQLite + the in-process bus."""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator

import aio_pika
import httpx
from asgi_lifespan import LifespanManager
from autocirc_gateway.embedded import create_app
from autocirc_gateway.settings import SERVICES
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ADMIN_PASSWORD = "Admin12345x"


def system_env(data_dir, *, pg_url: str | None, amqp_url: str | None, s3: dict | None = None,
               **extra: str) -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    env = {
        "AUTOCIRC_DATA_DIR": str(data_dir),
        "AUTOCIRC_CAPTCHA": "off",
        "AUTOCIRC_POLICE_STUB_PUBLIC": "true",  # the suites read what the police stub received
        "AUTOCIRC_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "AUTOCIRC_DATABASE_PREFIX": f"t{tag}",
        "AUTOCIRC_BUS_NAMESPACE": f"t{tag}",
        "AUTOCIRC_BUS_RETRY_BASE_SECONDS": "0.05",
        "AUTOCIRC_OUTBOX_POLL_SECONDS": "0.2",
        "AUTOCIRC_RATE_LOGIN_PER_MINUTE": "100000",
        "AUTOCIRC_RATE_REGISTER_PER_MINUTE": "100000",
        "AUTOCIRC_RATE_PASSWORD_RESET_PER_MINUTE": "100000", "AUTOCIRC_RESET_REQUESTS_PER_CLIENT": "100000",
        "AUTOCIRC_MEDIA_SYNC_MAX_ATTEMPTS": "12", "AUTOCIRC_MEDIA_SYNC_RETRY_BASE_SECONDS": "0.05",
        "AUTOCIRC_MEDIA_SYNC_RETRY_CAP_SECONDS": "0.5", "AUTOCIRC_MEDIA_SYNC_POLL_SECONDS": "0.1",
        "AUTOCIRC_MEDIA_SYNC_TIMEOUT_SECONDS": "2",
        "AUTOCIRC_DATABASE_URL": pg_url or "",
        "AUTOCIRC_AMQP_URL": amqp_url or "",
    }
    if s3:
        env.update({"AUTOCIRC_S3_ENDPOINT": s3["endpoint"], "AUTOCIRC_S3_ACCESS_KEY": s3["access_key"],
                    "AUTOCIRC_S3_SECRET_KEY": s3["secret_key"], "AUTOCIRC_S3_BUCKET": f"t{tag}"})
    env.update(extra)
    return env


@contextlib.contextmanager
def patched_env(env: dict[str, str]):
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update({k: v for k, v in env.items()})
    for k, v in env.items():
        if v == "":
            os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


async def drop_databases(pg_url: str, prefix: str, services=SERVICES) -> None:
    engine = create_async_engine(pg_url.replace("postgresql://", "postgresql+asyncpg://"), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        for service in services:
            name = f"{prefix}_{service.replace('-', '_')}"
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


async def delete_bus_objects(amqp_url: str, namespace: str, services=SERVICES) -> None:
    conn = await aio_pika.connect(amqp_url)
    async with conn:
        channel = await conn.channel()
        for service in services:
            for name in (f"{namespace}.{service}", f"{namespace}.{service}.dlq"):
                await channel.queue_delete(name)
        for name in (f"{namespace}.events", f"{namespace}.dlx"):
            await channel.exchange_delete(name)


class System:
    """The running system: an HTTP client on the gateway, and the runtimes behind it."""

    def __init__(self, app, client: httpx.AsyncClient, env: dict[str, str]) -> None:
        self.app = app
        self.client = client
        self.env = env
        self.runtimes = app.runtimes
        self.bus = app.bus

    def runtime(self, service: str):
        return self.runtimes[service]

    async def settle(self, rounds: int = 100) -> None:
        """Embedded bus only: return once every outbox row is published and handled, and whatever that caused,
        without sleeping. Each round publishes every service's pending rows itself (the relays run too: a row
        published twice is skipped by the inbox), then awaits the bus's queues; it is settled when a round
        moved nothing (the bus accepted no message and no outbox holds an unsent row)."""
        relays = [runtime.relay for runtime in self.runtimes.values()]
        for _ in range(rounds):
            accepted = self.bus.accepted
            for relay in relays:
                while await relay.flush_once():
                    pass
            await self.bus.idle()
            pending = [await relay.pending() for relay in relays]
            if self.bus.accepted == accepted and not any(pending):
                return
        raise AssertionError(f"the system did not settle in {rounds} rounds")


@contextlib.asynccontextmanager
async def running_system(env: dict[str, str]) -> AsyncIterator[System]:
    with patched_env(env):
        app = create_app()
    try:
        async with LifespanManager(app, startup_timeout=120, shutdown_timeout=30):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                yield System(app, client, env)
    finally:
        if env.get("AUTOCIRC_DATABASE_URL"):
            await drop_databases(env["AUTOCIRC_DATABASE_URL"], env["AUTOCIRC_DATABASE_PREFIX"])
        if env.get("AUTOCIRC_AMQP_URL"):
            await delete_bus_objects(env["AUTOCIRC_AMQP_URL"], env["AUTOCIRC_BUS_NAMESPACE"])
