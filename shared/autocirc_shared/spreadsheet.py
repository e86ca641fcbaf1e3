"""Cell values that are safe to put in a workbook someone will open in Excel."""
from __future__ import annotations

from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: Any) -> Any:
    """Neutralise formula injection: text starting with = + - @ tab CR or NUL gets a leading '."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value
