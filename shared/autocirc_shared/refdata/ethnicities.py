"""Ethnic groups of China (中国各民族名称的罗马字母拼写法和代码), GB 3304-91.

The 56 groups, 01 汉族 to 56 基诺族, plus 97 其他 and 98 外国血统中国籍人士.
No package ships the table, so it is inline (see SOURCES.md).  Lookups take
the code (``"01"``, ``"1"``) or the name with or without 族 (``"汉族"``,
``"汉"``); the names in use before the 1985-86 renamings (崩龙族, 毛难族) and
其它 are accepted too, since old documents still carry them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ethnicity:
    code: str
    name: str


_NAMES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
_ETHNICITIES = (
    *(Ethnicity(f"{i:02d}", name) for i, name in enumerate(_NAMES, start=1)),
    Ethnicity("97", "其他"),
    Ethnicity("98", "外国血统中国籍人士"),
)
_ALIASES = {"崩龙族": "46", "崩龙": "46", "毛难族": "36", "毛难": "36", "其它": "97"}


def _index() -> dict[str, Ethnicity]:
    by_code = {e.code: e for e in _ETHNICITIES}
    index = dict(by_code)
    for e in _ETHNICITIES:
        index[e.name] = e
        if e.name.endswith("族"):
            index[e.name[:-1]] = e
    index.update({alias: by_code[code] for alias, code in _ALIASES.items()})
    return index


_INDEX = _index()


def all_ethnicities() -> list[Ethnicity]:
    """The 58 entries in code order."""
    return list(_ETHNICITIES)


def get_ethnicity(code_or_name: str | None) -> Ethnicity | None:
    if not code_or_name:
        return None
    key = code_or_name.strip()
    if key.isdigit() and len(key) == 1:
        key = "0" + key
    return _INDEX.get(key)
