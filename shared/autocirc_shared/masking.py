"""Masking personal identifiers for readers who may not see them in full (officials, logs).

ID numbers keep the area code and the last four characters (``110101********1234``),
mobiles the first three and last four digits (``138****5678``). Shorter identifiers
(passports, other documents) keep less, so a masked value never gives the whole away.
"""
from __future__ import annotations

from typing import Any

MASKED_KEYS = {"id_number": "id", "mobile": "mobile"}


def _mask(value: str, head: int, tail: int) -> str:
    hidden = len(value) - head - tail
    if hidden <= 0:
        return "*" * len(value)
    return value[:head] + "*" * hidden + value[len(value) - tail:]


def mask_id_number(value: str | None) -> str | None:
    """``110101199003071234`` → ``110101********1234``; 7-14 characters keep 2 + 2; shorter only the first."""
    if not value:
        return value
    if len(value) >= 15:
        return _mask(value, 6, 4)
    if len(value) >= 7:
        return _mask(value, 2, 2)
    return _mask(value, 1, 0)


def mask_mobile(value: str | None) -> str | None:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return value
    if len(value) >= 8:
        return _mask(value, 3, 4)
    return _mask(value, 1, 0)


def mask_field(name: str, value: Any) -> Any:
    """Mask ``value`` when ``name`` (a key or a dotted path such as ``buyer.mobile``) is personal."""
    kind = MASKED_KEYS.get(name.rsplit(".", 1)[-1])
    if kind is None or not isinstance(value, str):
        return value
    return mask_id_number(value) if kind == "id" else mask_mobile(value)


def mask_personal(data: Any) -> Any:
    """A copy of ``data`` (nested dicts and lists) with every ``id_number`` and ``mobile`` masked."""
    if isinstance(data, dict):
        return {key: mask_field(key, value) if key in MASKED_KEYS else mask_personal(value)
                for key, value in data.items()}
    if isinstance(data, list):
        return [mask_personal(item) for item in data]
    return data
