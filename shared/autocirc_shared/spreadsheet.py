"""Cell values that are safe to put in a workbook someone will open in Excel."""
from __future__ import annotations

import re
from typing import Any

from .validation.text import scrub_surrogates

# What an XML worksheet cannot hold (the same set as openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: Any) -> Any:
    """Neutralise formula injection: text starting with = + - @ tab CR or NUL gets a leading '.
    Control characters a worksheet cannot hold (NUL, \\x01-\\x08, ...) are dropped: openpyxl would refuse the
    whole export over one of them; a lone surrogate (which no UTF-8 file can hold) becomes U+FFFD."""
    if isinstance(value, str):
        stripped = scrub_surrogates(ILLEGAL_CHARACTERS_RE.sub("", value))
        if value.startswith(DANGEROUS_PREFIXES) or stripped.startswith(DANGEROUS_PREFIXES):
            return "'" + stripped
        return stripped
    return value
