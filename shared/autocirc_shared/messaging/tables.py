"""Outbox and inbox tables. Every service's database has both; its first migration calls
:func:`create_messaging_tables`."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Executable,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.schema import SchemaItem

messaging_metadata = MetaData()

outbox = Table(
    "outbox",
    messaging_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("envelope", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_unsent", "sent_at", "id"),
)

inbox = Table(
    "inbox",
    messaging_metadata,
    Column("message_id", String(36), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
)


class AlembicOps(Protocol):
    """What these helpers use of Alembic's ``op`` (a module that proxies ``alembic.operations.Operations``)."""

    def create_table(self, table_name: str, *columns: SchemaItem) -> Table: ...

    def create_index(self, index_name: str | None, table_name: str, columns: Sequence[str]) -> None: ...

    def drop_table(self, table_name: str) -> None: ...

    def execute(self, sqltext: Executable | str) -> None: ...

    def get_bind(self) -> Connection: ...


def create_messaging_tables(op: AlembicOps) -> None:
    """Call from a service's first Alembic migration."""
    for table in (outbox, inbox):
        op.create_table(table.name, *[c._copy() for c in table.columns])
    op.create_index("ix_outbox_unsent", "outbox", ["sent_at", "id"])


def drop_messaging_tables(op: AlembicOps) -> None:
    op.drop_table("inbox")
    op.drop_table("outbox")
