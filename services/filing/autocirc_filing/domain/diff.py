"""Field-by-field difference between the confirmed version and a change, for the reviewer."""
from __future__ import annotations

from autocirc_shared.flatten import flatten as _flatten

from .form import LABELS


def filing_diff(before: dict | None, after: dict) -> list[dict]:
    """Lists (branches, brands) compare whole; nested objects field by field."""
    flat_before, flat_after = _flatten(before or {}), _flatten(after)
    changes = []
    for field in sorted(set(flat_before) | set(flat_after)):
        old, new = flat_before.get(field), flat_after.get(field)
        if old in (None, "", []) and new in (None, "", []):
            continue
        if old != new:
            top = field.split(".")[0]
            label = LABELS.get(field) or (LABELS.get(top, top) + field[len(top):])
            changes.append({"field": field, "label": label, "before": old, "after": new})
    return changes


def changed_fields(before: dict | None, after: dict) -> list[str]:
    return [c["field"] for c in filing_diff(before, after)]
