"""Nested dicts as dotted paths (``buyer.id_number``), for field-by-field diffs and audits."""
from __future__ import annotations

from typing import Any


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of nested dicts keyed by dotted path; lists count as leaves (compared whole)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(flatten(inner, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: value}
