"""What a never-saved filing starts from."""
from __future__ import annotations

from typing import Any


def registration_prefill(enterprise: Any | None) -> dict[str, Any]:
    """A never-saved filing starts from what registration already said (residence, filler)."""
    if enterprise is None:
        return {}
    data: dict[str, Any] = {}
    if enterprise.residence:
        data["residence"] = dict(enterprise.residence)
    if enterprise.filler_name:
        data["filler"] = {"name": enterprise.filler_name}
    return data
