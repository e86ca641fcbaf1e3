"""Vehicle identification number (车辆识别代号, VIN), GB 16735 / ISO 3779.

Seventeen characters, digits and capital letters without I, O and Q.
Position 9 is a check character computed from the other sixteen
(transliteration x position weight, mod 11, 10 -> ``X``).

GB 16735 makes the check character mandatory for vehicles made in China, so it
is enforced there (``vin.checksum``).  Elsewhere it is optional: European
makers, for instance, put a plant or model letter in position 9, and old
imported vehicles predate the rule.  A mismatch on such a VIN is therefore
only a warning (``vin_warnings``) that the clerk confirms after comparing with
the registration certificate, never a refusal.

Made in China means a WMI in region ``L`` or ``H``: SAE/ISO 3780 allocate both
to China (``H`` since the ``L`` codes ran out, e.g. ``HE9...`` VINs from 2023),
and no other country uses ``H``.
"""

from __future__ import annotations

import re
from operator import mul

from .issue import Issue

DOMESTIC_WMI_PREFIXES = ("L", "H")

_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# ISO 3779 transliteration: A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9 (no I, O, Q).
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9))),
    **dict(zip("JKLMN", range(1, 6))),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10))),
}
_PATTERN = re.compile(r"[0-9A-HJ-NPR-Z]{17}")

FORMAT = Issue(
    "vin.format",
    "车辆识别代号应为17位数字或大写字母（不含I、O、Q）",
)
CHECKSUM = Issue("vin.checksum", "车辆识别代号校验位错误")
CHECKSUM_WARNING = Issue(
    "vin.checksum_warning",
    "车辆识别代号第9位与校验位计算结果不符（进口或老旧车辆可能不使用校验位），请与登记证书核对后确认",
)


def normalise_vin(value: str) -> str:
    """Strip surrounding whitespace and upper-case; validate the result."""
    return value.strip().upper()


def vin_check_char(vin: str) -> str:
    """The check character for a 17-character VIN (position 9 is ignored)."""
    if len(vin) != 17:
        raise ValueError("需要17位车辆识别代号")
    try:  # map at C speed: a third of the generator's time (it runs for every imported row)
        remainder = sum(map(mul, map(_VALUES.__getitem__, vin), _WEIGHTS)) % 11
    except KeyError:
        raise ValueError("需要17位车辆识别代号") from None
    return "X" if remainder == 10 else str(remainder)


def _is_domestic(vin: str) -> bool:
    return vin.startswith(DOMESTIC_WMI_PREFIXES)


def validate_vin(value: object) -> Issue | None:
    """Format always; the check character only for vehicles made in China."""
    if not isinstance(value, str) or not _PATTERN.fullmatch(value):
        return FORMAT
    if _is_domestic(value) and vin_check_char(value) != value[8]:
        return CHECKSUM
    return None


def vin_warnings(value: object) -> list[Issue]:
    """Warnings for a VIN that ``validate_vin`` accepts (empty otherwise)."""
    if not isinstance(value, str) or not _PATTERN.fullmatch(value) or _is_domestic(value):
        return []  # malformed, or made in China: its check character is validate_vin's to refuse
    if vin_check_char(value) != value[8]:
        return [CHECKSUM_WARNING]
    return []


def vin_origin(vin: str) -> str:
    """``"domestic"`` for a China WMI, else ``"imported"``."""
    return "domestic" if _is_domestic(vin) else "imported"
