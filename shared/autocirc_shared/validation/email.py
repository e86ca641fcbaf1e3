"""E-mail address: one ``@``, a dotted ASCII domain, no spaces or control characters, at most 100 characters.

Deliberately loose (RFC 5322 allows far more); whether the address works is for the code sent to it to show.
"""
from __future__ import annotations

import re

from .issue import Issue

_PATTERN = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")

FORMAT = Issue("email.format", "电子邮箱格式不正确")


def validate_email(value: object) -> Issue | None:
    if not isinstance(value, str) or len(value) > 100 or not _PATTERN.fullmatch(value):
        return FORMAT
    return None
