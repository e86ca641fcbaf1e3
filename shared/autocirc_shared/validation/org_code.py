"""Organisation code (组织机构代码), GB 11714-1997.

Eight body characters (digits or upper-case letters, A=10 ... Z=35) plus one
check character, usually printed as ``XXXXXXXX-X``.  Pre-2015 documents and
positions 9-17 of a USCC still carry it, so it is accepted with or without the
hyphen.
"""

from __future__ import annotations

import re

from .issue import Issue

_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_PATTERN = re.compile(r"([0-9A-Z]{8})-?([0-9X])")

FORMAT = Issue(
    "org_code.format",
    "组织机构代码应为8位数字或大写字母加1位校验码（如12345678-9）",
)
CHECKSUM = Issue("org_code.checksum", "组织机构代码校验码错误")


def _char_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_code_check_char(body8: str) -> str:
    """Check character: C = 11 - (sum mod 11); 10 -> 'X', 11 -> '0'."""
    if not re.fullmatch(r"[0-9A-Z]{8}", body8):
        raise ValueError("需要8位组织机构代码本体")
    c = 11 - sum(_char_value(ch) * w for ch, w in zip(body8, _WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def validate_org_code(value: object) -> Issue | None:
    """Validate ``XXXXXXXX-X`` or ``XXXXXXXXX`` (upper case, no spaces)."""
    match = _PATTERN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return FORMAT
    body, check = match.groups()
    if org_code_check_char(body) != check:
        return CHECKSUM
    return None
