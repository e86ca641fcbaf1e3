"""Motor vehicle plate numbers (机动车号牌号码), GA 36-2018.

A plate number is the province abbreviation, the issuing authority letter
(发牌机关代号, A-Z without I and O) and a serial (序号) whose letters also skip
I and O.  Accepted shapes (``P`` province, ``A`` authority letter, ``x`` digit
or letter, ``9`` digit):

- ordinary plates -- 大型/小型汽车, 摩托车, 低速车: ``PA xxxxx`` (京A12345);
- small new-energy: ``PA Lx9999`` where ``L`` is ``D A B C E`` (pure electric)
  or ``F G H J K`` (other new-energy), the letters added to the original D/F
  when the first segments filled up (沪AD12345);
- large new-energy: ``PA 99999L``, ``L`` = ``D`` or ``F`` (粤B12345D);
- four-character serial plus a suffix: 挂 trailer, 学 coach, 警 police,
  领 consulate, 超 oversize special vehicle (粤B1234挂, 京A1234学);
- Hong Kong / Macau cross-boundary: ``粤Z xxxx 港|澳``;
- embassy: ``使`` plus six digits (the country code and serial, 使224009);
- emergency rescue (应急救援专用号牌, defined beside GA 36 by the 2018 State
  Council notice): car ``PA xxxx 应急``, motorcycle ``应急 P 999 A``.

Refused, because such a vehicle cannot be the subject of a used-car
transfer or is not registered by the public security traffic authority:
temporary plates (临时行驶车, 临时入境), test plates (试), military and armed
police plates (WJ), civil-aviation plates and old agricultural-machinery
plates.  ``normalise_plate`` removes the spaces and the middle dot printed on
the plate and folds full-width letters and digits, so 粤B·D12345 is accepted.
"""

from __future__ import annotations

import re
import unicodedata

from .issue import Issue

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

_P = f"[{PROVINCES}]"
_A = "[A-HJ-NP-Z]"  # authority letter: no I, O
_X = "[0-9A-HJ-NP-Z]"  # serial character: no I, O
_SHAPES = (
    rf"{_P}{_A}{_X}{{5}}",  # ordinary
    rf"{_P}{_A}[DABCEFGHJK]{_X}[0-9]{{4}}",  # small new-energy
    rf"{_P}{_A}[0-9]{{5}}[DF]",  # large new-energy
    rf"{_P}{_A}{_X}{{4}}[挂学警领超]",
    rf"粤Z{_X}{{4}}[港澳]",
    r"使[0-9]{6}",
    rf"{_P}{_A}{_X}{{4}}应急",
    rf"应急{_P}[0-9]{{3}}{_A}",
)
_PATTERN = re.compile("|".join(f"(?:{shape})" for shape in _SHAPES))
_SEPARATORS = re.compile(r"[\s·•・.\-]+")

FORMAT = Issue(
    "plate.format",
    "号牌号码格式不正确，应为省份简称+发牌机关字母+5位序号（新能源汽车6位，挂车、教练车等为4位序号加挂、学等字）",
)


def normalise_plate(value: str) -> str:
    """Fold full-width characters, drop spaces and dots, upper-case letters."""
    folded = unicodedata.normalize("NFKC", value)
    return _SEPARATORS.sub("", folded).upper()


def validate_plate(value: object) -> Issue | None:
    """Validate an already-normalised plate number (see ``normalise_plate``)."""
    if not isinstance(value, str) or not _PATTERN.fullmatch(value):
        return FORMAT
    return None
