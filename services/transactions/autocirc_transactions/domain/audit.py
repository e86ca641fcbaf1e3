"""What changed between two versions of a record, field by field, for the audit trail."""
from __future__ import annotations

from typing import Any

from autocirc_shared.flatten import flatten as _flatten

from .labels import field_label


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """``[{"field", "label", "before", "after"}]`` for every leaf that differs (a removed agent lists its fields)."""
    old, new = _flatten(before or {}), _flatten(after or {})
    fields = list(old) + [f for f in new if f not in old]  # form order
    return [{"field": field, "label": field_label(field), "before": old.get(field), "after": new.get(field)}
            for field in fields if old.get(field) != new.get(field)]
