"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Layout: 1 registration authority, 2 organisation category, 3-8 administrative
division code, 9-17 organisation code body, 18 check character.  Positions 1-2
are drawn from the full 31-character set (e.g. ``N`` for 农业, ``Y`` for other
authorities), so unlike python-stdnum we do not demand digits there.
"""

from __future__ import annotations

import re
from operator import mul

from .issue import Issue

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE_OF = {c: i for i, c in enumerate(CHARSET)}
_PATTERN = re.compile(rf"[{CHARSET}]{{2}}[0-9]{{6}}[{CHARSET}]{{10}}")

FORMAT = Issue(
    "uscc.format",
    "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）",
)
CHECKSUM = Issue("uscc.checksum", "统一社会信用代码校验位错误")


def normalise_uscc(value: str) -> str:
    """Strip all whitespace and upper-case; validate the result, not the input."""
    return "".join(value.split()).upper()


def uscc_check_char(first17: str) -> str:
    """Check character for the first 17 characters (mod 31, 31 maps to 0)."""
    if len(first17) != 17:
        raise ValueError("需要17位统一社会信用代码本体")
    try:  # map at C speed (it runs for every imported party with a code)
        total = sum(map(mul, map(_VALUE_OF.__getitem__, first17), _WEIGHTS))
    except KeyError:
        raise ValueError("需要17位统一社会信用代码本体") from None
    return CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: object) -> Issue | None:
    """Validate an already-normalised code (see ``normalise_uscc``)."""
    if not isinstance(value, str) or not _PATTERN.fullmatch(value):
        return FORMAT
    if uscc_check_char(value[:17]) != value[17]:
        return CHECKSUM
    return None
