"""Dialect-specific INSERT, for ``ON CONFLICT`` on both PostgreSQL and SQLite."""
from __future__ import annotations

from autocirc_shared.db import Database
from autocirc_shared.upserts import dialect_insert


def upsert_insert(db: Database, table):
    return dialect_insert(db.dialect, table)
