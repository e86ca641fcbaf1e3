"""Mainland China mobile number: 11 digits, ``1`` then ``3``-``9``.

No carrier-prefix table: new number segments (e.g. 19x, 16x) appear every few
years and an outdated table would reject real users.
"""

from __future__ import annotations

import re

from .issue import Issue

_PATTERN = re.compile(r"1[3-9][0-9]{9}")  # [0-9], not \d: no full-width digits

FORMAT = Issue("mobile.format", "手机号码格式不正确，应为11位中国大陆手机号")


def validate_mobile(value: object) -> Issue | None:
    if not isinstance(value, str) or not _PATTERN.fullmatch(value):
        return FORMAT
    return None
