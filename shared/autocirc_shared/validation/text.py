"""Text no field may hold: NUL, lone surrogates (cannot be encoded as UTF-8), invisible format characters.

A lone surrogate (``"\\ud800北京"`` in JSON) passes ``json.loads`` and Pydantic, but every UTF-8 encoder
(PostgreSQL, the JSON response, a worksheet) fails on it later — after the row is stored. Unicode category Cf
(U+202E RIGHT-TO-LEFT OVERRIDE, zero-width spaces, ...) lets a name be shown as something else (display
spoofing). The zero-width joiner stays allowed between two emoji (👨‍👩‍👧), where it is part of the character.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from .issue import Issue

NUL = Issue("field.control_char", "不能包含控制字符（NUL）")
SURROGATE = Issue("field.encoding", "包含无法编码的字符（孤立的 Unicode 代理项），请重新输入")
FORMAT = Issue("field.control_char", "不能包含不可见的格式控制字符（如 U+202E 文字方向控制符、零宽字符）")

ZWJ = "\u200d"
_CF = "".join(chr(c) for r in (range(0x20000), range(0xE0000, 0xE0080)) for c in r
              if unicodedata.category(chr(c)) == "Cf")
_BAD = re.compile("[\x00\ud800-\udfff" + re.escape(_CF) + "]")
SURROGATES = re.compile("[\ud800-\udfff]")


def _emoji(char: str) -> bool:
    return char == "\ufe0f" or unicodedata.category(char) == "So" or ord(char) >= 0x1F000


def text_issue(value: str, *, formats: bool = True) -> Issue | None:
    """What is wrong with ``value``, or None. ``formats=False`` checks only NUL and surrogates (passwords:
    hashed, never shown)."""
    for match in _BAD.finditer(value):
        char, at = match.group(), match.start()
        if char == "\x00":
            return NUL
        if "\ud800" <= char <= "\udfff":
            return SURROGATE
        if not formats:
            continue
        if char == ZWJ and 0 < at < len(value) - 1 and _emoji(value[at - 1]) and _emoji(value[at + 1]):
            continue
        return FORMAT
    return None


def scrub_surrogates(value: str) -> str:
    """Replace lone surrogates by U+FFFD (repairing what was stored before they were refused)."""
    return SURROGATES.sub("\ufffd", value)


def scrub_surrogates_in(value: Any) -> Any:
    """:func:`scrub_surrogates` through a JSON value: every string, key or value, of its lists and objects."""
    if isinstance(value, str):
        return scrub_surrogates(value)
    if isinstance(value, list):
        return [scrub_surrogates_in(v) for v in value]
    if isinstance(value, dict):
        return {scrub_surrogates(k): scrub_surrogates_in(v) for k, v in value.items()}
    return value
