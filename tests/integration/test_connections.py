"""Connections by design: no pre-ping (a dead pooled connection costs one repeat, not an error), pools
without overflow, and a server refusing connections answers 503 ``service.unavailable``, never 500."""
from __future__ import annotations

import asyncio
import logging
import struct
import uuid

import httpx
from autocirc_shared.db import Database, ensure_database, service_database_url
from autocirc_shared.settings import CommonSettings
from autocirc_shared.web.problems import install_error_handlers
from fastapi import FastAPI
from sqlalchemy import text

from tests.support.system import drop_databases

TOO_MANY = b"sorry, too many clients already"


async def refusing_server() -> asyncio.Server:
    """A PostgreSQL server at its connection limit: it declines TLS, then answers the startup message with
    FATAL 53300 too_many_connections, as a real one does when max_connections are in use."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            length = struct.unpack("!I", await reader.readexactly(4))[0]
            code = struct.unpack("!I", (await reader.readexactly(length - 4))[:4])[0]
            if code == 80877103:  # SSLRequest
                writer.write(b"N")
                continue
            fields = b"SFATAL\0VFATAL\0C53300\0M" + TOO_MANY + b"\0\0"
            writer.write(b"E" + struct.pack("!I", len(fields) + 4) + fields)
            await writer.drain()
            writer.close()
            return

    return await asyncio.start_server(serve, "127.0.0.1", 0)


def app_on(db: Database) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/one")
    async def one():
        async with db.sessionmaker() as session:
            return {"one": await session.scalar(text("SELECT 1"))}

    return app


async def test_a_server_refusing_connections_answers_503_not_500():
    server = await refusing_server()
    port = server.sockets[0].getsockname()[1]
    db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/any", pool_size=2)
    try:
        transport = httpx.ASGITransport(app=app_on(db), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answers = [await client.get("/one") for _ in range(3)]
    finally:
        await db.dispose()
        server.close()
    assert [a.status_code for a in answers] == [503] * 3
    assert {a.json()["code"] for a in answers} == {"service.unavailable"}
    assert answers[0].headers["retry-after"]


async def test_a_connection_the_server_closed_while_pooled_is_replaced_without_an_error(pg_url, caplog):
    settings = CommonSettings(database_url=pg_url, database_prefix=f"c{uuid.uuid4().hex[:8]}")
    await ensure_database(settings, "conntest")
    db = Database(service_database_url(settings, "conntest"), pool_size=1)
    admin = Database(service_database_url(settings, "conntest"), pool_size=1)
    try:
        async with db.sessionmaker() as session:
            before = await session.scalar(text("SELECT pg_backend_pid()"))
        async with admin.sessionmaker() as session:  # the server ends the pooled connection (restart, idle timeout)
            assert await session.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        await asyncio.sleep(0.3)
        caplog.set_level(logging.INFO, "autocirc_shared.db")
        async with db.sessionmaker() as session:
            after = await session.scalar(text("SELECT pg_backend_pid()"))
        assert after != before
        assert "repeating the statement once" in caplog.text  # no ping found it: the first statement did
        assert db.engine.pool.size() == 1 and db.engine.pool.overflow() <= 0  # no overflow beyond the budget
    finally:
        await db.dispose()
        await admin.dispose()
        await drop_databases(pg_url, settings.database_prefix, services=["conntest"])
