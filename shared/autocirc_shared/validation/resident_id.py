"""18-digit resident identity card number (居民身份证号码), GB 11643-1999.

Layout: 6-digit address code, 8-digit birth date, 3-digit sequence, check
character (ISO 7064 MOD 11-2).  The address code is the division where the
number was first issued and may since have been abolished, so only its first
two digits (the province) are checked, not the full current region table.
"""

from __future__ import annotations

import datetime as _dt
import re
from operator import mul

from ..clock import china_today
from .issue import Issue

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_PATTERN = re.compile(r"[0-9]{17}[0-9X]")
_BODY = re.compile(r"[0-9]{17}")
_ZERO_OFFSET = ord("0") * sum(_WEIGHTS)  # the digits' ASCII codes, weighted, minus this: the digits weighted

# GB/T 2260 province-level codes, plus 83: residence permits for Taiwan
# residents (港澳台居民居住证) carry 830000, Hong Kong 810000 and Macau 820000.
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52"
    " 53 54 61 62 63 64 65 71 81 82 83".split()
)
_EARLIEST_BIRTH = _dt.date(1800, 1, 1)  # GB 11643's own example is born 1880

FORMAT = Issue("id_number.format", "身份证号码应为18位，前17位为数字，最后一位为数字或X")
PROVINCE = Issue("id_number.format", "身份证号码前两位不是有效的省级行政区划代码")
BIRTH_DATE = Issue("id_number.birth_date", "身份证号码中的出生日期无效")
CHECKSUM = Issue("id_number.checksum", "身份证号码校验位错误")


def normalise_resident_id(value: str) -> str:
    """Strip whitespace and upper-case the trailing 'x'."""
    return "".join(value.split()).upper()


def resident_id_check_char(first17: str) -> str:
    """MOD 11-2 check character for the first 17 digits."""
    if not _BODY.fullmatch(first17):
        raise ValueError("需要17位数字")
    return _CHECK_CHARS[(sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _ZERO_OFFSET) % 11]


def validate_resident_id(value: object, today: _dt.date | None = None) -> Issue | None:
    """Validate a normalised number; ``today`` bounds the birth date (tests pin it)."""
    if not isinstance(value, str) or not _PATTERN.fullmatch(value):
        return FORMAT
    if value[:2] not in PROVINCE_PREFIXES:
        return PROVINCE
    try:
        birth = _dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return BIRTH_DATE
    if not _EARLIEST_BIRTH <= birth <= (today or china_today()):
        return BIRTH_DATE
    if resident_id_check_char(value[:17]) != value[17]:
        return CHECKSUM
    return None
