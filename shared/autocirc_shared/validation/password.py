"""Password strength rule from the original system's requirements.

"用户密码长度不能少于8位且必须包含大、小写字母和数字"; the 128 upper bound keeps
hashing cost bounded.  Letters and digits are ASCII, as users type them.
"""

from __future__ import annotations

from .issue import Issue

MIN_LENGTH = 8
MAX_LENGTH = 128

WEAK = Issue("password.weak", "用户密码长度不能少于8位且必须包含大、小写字母和数字")
TOO_LONG = Issue("password.weak", f"用户密码长度不能超过{MAX_LENGTH}位")


def validate_password(value: object) -> Issue | None:
    if not isinstance(value, str) or len(value) < MIN_LENGTH:
        return WEAK
    if len(value) > MAX_LENGTH:
        return TOO_LONG
    if not (
        any("A" <= c <= "Z" for c in value)
        and any("a" <= c <= "z" for c in value)
        and any("0" <= c <= "9" for c in value)
    ):
        return WEAK
    return None
