"""Alembic glue shared by every service.

Each service keeps its own ``migrations/`` folder; its ``env.py`` is one call to
:func:`run_env`. Start-up runs ``upgrade head`` in a worker thread (Alembic's async
env needs its own event loop), under a PostgreSQL advisory lock so replicas that
start together migrate once.
"""
from __future__ import annotations

import asyncio
import zlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, pool, text
from sqlalchemy.ext.asyncio import create_async_engine


def alembic_config(migrations_dir: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


async def upgrade_head(migrations_dir: Path, url: str) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(migrations_dir, url), "head")


def run_env(target_metadata: MetaData | list[MetaData]) -> None:
    """Body of every service's ``migrations/env.py``. The shared tables every service has (credential versions,
    audit log) are added to ``target_metadata`` here."""
    from .audit import audit_metadata
    from .auth.freshness import credentials_metadata

    listed = target_metadata if isinstance(target_metadata, list) else [target_metadata]
    metadata = [*listed, credentials_metadata, audit_metadata]
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic: sqlalchemy.url is not set")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, metadata))


async def _run_online(url: str, target_metadata: list[MetaData]) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    lock_key = zlib.crc32(url.rsplit("/", 1)[-1].encode())
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key})
            await conn.commit()
        try:
            await conn.run_sync(_do_run, target_metadata)
        finally:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
                await conn.commit()
    await engine.dispose()


def _do_run(connection: Connection, target_metadata: list[MetaData]) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
