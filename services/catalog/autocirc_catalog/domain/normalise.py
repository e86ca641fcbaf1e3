"""Name keys that make near-duplicates collide.

``fold`` removes what never distinguishes two names: width (NFKC turns full-width into
half-width), case, whitespace and punctuation (Unicode categories P*, so Chinese
punctuation such as ·－—（）【】 goes too). ``name_key`` also drops trim words, and
``model_key`` a trailing displacement ("朗逸1.5L") and a leading brand name ("大众朗逸").
"""
from __future__ import annotations

import re
import unicodedata

# Trim levels (配置级别) are not part of a model's standard name. Each base word is a trim
# with either suffix: 舒适版 / 舒适型.
TRIM_BASES = ("舒适", "智慧", "旗舰", "尊贵", "豪华", "运动", "精英", "领先", "时尚", "标准",
              "尊享", "至尊", "进取", "风尚", "智享", "畅享", "基本", "入门", "行政", "科技")
TRIM_WORDS = tuple(base + suffix for base in TRIM_BASES for suffix in ("版", "型"))
_TRIM_RE = re.compile("|".join(TRIM_WORDS))

# A displacement glued to the end of a model name: 1.5L, 1.5T, 2.0TSI, 1.4 TFSI, 1.5升.
# A decimal point is required so names like "A4L" or "L9" are never cut.
_DISPLACEMENT_RE = re.compile(r"\d{1,2}\.\d{1,2}(?:[a-z]{0,5}|升)$")


def _is_separator(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith(("P", "Z"))


def _squash(name: str, keep: str = "") -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch in keep or not _is_separator(ch))


def fold(name: str) -> str:
    """Width, case, spaces and punctuation folded away; what search compares."""
    return _squash(name)


def name_key(name: str) -> str:
    """Dedupe key of manufacturers and brands."""
    return _TRIM_RE.sub("", fold(name))


def model_key(name: str, brand_name: str | None = None) -> str:
    """Dedupe key of a model within its (manufacturer, brand)."""
    text = _DISPLACEMENT_RE.sub("", _TRIM_RE.sub("", _squash(name, keep=".")))
    key = text.replace(".", "")
    brand = name_key(brand_name) if brand_name else ""
    if brand and key.startswith(brand) and len(key) > len(brand):
        key = key[len(brand):]
    return key


def trim_words_in(name: str) -> list[str]:
    """The trim words a name contains, in order (a model's standard name has none)."""
    return _TRIM_RE.findall(fold(name))


def glued_displacement(name: str) -> str | None:
    """The displacement glued to the end of a model name, as written, if any."""
    text = _TRIM_RE.sub("", _squash(name, keep="."))
    match = _DISPLACEMENT_RE.search(text)
    return match.group(0).upper().replace("升", "L") if match else None
