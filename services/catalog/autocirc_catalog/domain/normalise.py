"""Name keys that make near-duplicates collide.

``fold`` removes what never distinguishes two names: width (NFKC turns full-width into
half-width), case, whitespace and punctuation (Unicode categories P*, so Chinese
punctuation such as ·－—（）【】 goes too). ``name_key`` also drops trim words, and
``model_key`` a trailing displacement ("朗逸1.5L") and a leading brand name ("大众朗逸").

``same_entry`` compares two keys as the near-duplicate check does: besides equal keys, a Chinese
name with a Latin transliteration glued to it ("SAGITAR速腾", "RAV4荣放") is the Chinese name
("速腾"), and the Latin-only name ("Sagitar"). A Latin part that tells models apart is kept:
a series marker (PLUS, Pro, MAX, MINIEV, EV, DM-i, ...), one or two characters ("途观L"),
or two different Latin parts ("宋PLUS" / "宋Pro", "哈弗H6" / "哈弗H9").
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


# Latin parts that name a different model of the same Chinese series, never a transliteration.
SERIES_MARKERS = frozenset({"plus", "pro", "max", "mini", "miniev", "ev", "phev", "hev", "dm", "dmi", "dmp", "gt",
                            "gts", "sport", "cross", "coupe", "new", "classic", "suv", "mpv"})


def _is_cjk(ch: str) -> bool:
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
            or "\U00020000" <= ch <= "\U0003134f")


def split_key(key: str) -> tuple[str, str]:
    """A key's Chinese core and its Latin (and digit) part, each in order."""
    return "".join(ch for ch in key if _is_cjk(ch)), "".join(ch for ch in key if not _is_cjk(ch))


def _transliteration(latin: str) -> bool:
    return len(latin) >= 3 and any(ch.isalpha() for ch in latin) and latin not in SERIES_MARKERS


def same_entry(a: str, b: str) -> bool:
    """Whether two keys (``name_key`` / ``model_key``) name the same entry."""
    if a == b:
        return True
    (cjk_a, latin_a), (cjk_b, latin_b) = split_key(a), split_key(b)
    if cjk_a and cjk_b:
        if cjk_a != cjk_b:
            return False
        if latin_a and latin_b:
            return latin_a == latin_b  # the same words in another order: "速腾SAGITAR" / "SAGITAR速腾"
        return _transliteration(latin_a or latin_b)
    if cjk_a or cjk_b:  # a Latin-only name against a mixed one: its Latin part
        return latin_a == latin_b and _transliteration(latin_a)
    return False
