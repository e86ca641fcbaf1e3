"""The one way a ``q=`` or name search matches text: literally, ``%`` and ``_`` included.

A raw ``LIKE '%' || q || '%'`` makes ``q=%`` match every row (and ``_`` any character); ``autoescape`` escapes
them on PostgreSQL and SQLite alike.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement, SQLCoreOperations


def contains_text(text: str, *columns: SQLCoreOperations[Any]) -> ColumnElement[bool]:
    """Any of ``columns`` holds ``text`` (stripped) as typed."""
    needle = text.strip()
    return or_(*(column.contains(needle, autoescape=True) for column in columns))
