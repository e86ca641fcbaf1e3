"""GB/T 2260 administrative divisions: province -> city -> district.

The table (``regions.json``, see SOURCES.md) is loaded lazily on first use and
cached for the life of the process.  Every district has a city-level parent:
municipalities and provinces' directly-administered counties get the GB/T 2260
placeholder cities (``110100 市辖区``, ``500200 县``, ``429000 省直辖县级行政区划``
...), so a three-level cascade always works.  Those placeholders' codes do not
always share the obvious prefix, so ancestry is resolved through
``parent_code`` rather than string prefixes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from ..validation.issue import Issue

Level = Literal["province", "city", "district"]

NATIONAL_SCOPE = "000000"
# City-level placeholders that are not place names; full_name() skips them.
PLACEHOLDER_CITY_NAMES = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: Level
    parent_code: str | None


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Region]
    children: dict[str | None, tuple[Region, ...]]


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = resources.files(__package__).joinpath("regions.json").read_text("utf-8")
    regions = [Region(*row) for row in json.loads(raw)["regions"]]
    grouped: dict[str | None, list[Region]] = {}
    for region in regions:
        grouped.setdefault(region.parent_code, []).append(region)
    return _Table(
        by_code={r.code: r for r in regions},
        children={k: tuple(sorted(v, key=lambda r: r.code)) for k, v in grouped.items()},
    )


def all_regions() -> tuple[Region, ...]:
    """Every region, sorted by code (e.g. to seed a database table)."""
    return tuple(sorted(_table().by_code.values(), key=lambda r: r.code))


def get_region(code: str | None) -> Region | None:
    return _table().by_code.get(code) if code else None


def level_of(code: str | None) -> str | None:
    region = get_region(code)
    return region.level if region else None


def children(parent_code: str | None) -> list[Region]:
    """Direct subdivisions sorted by code; ``None`` gives the provinces."""
    return list(_table().children.get(parent_code, ()))


def ancestors(code: str) -> list[Region]:
    """The region and its parents, province first; empty if unknown."""
    chain: list[Region] = []
    region = get_region(code)
    while region is not None:
        chain.append(region)
        region = get_region(region.parent_code)
    return chain[::-1]


def full_name(code: str) -> str:
    """E.g. ``"北京市东城区"``; placeholder cities are skipped mid-chain.

    Returns ``""`` for unknown codes (e.g. abolished ones in old records).
    """
    chain = ancestors(code)
    return "".join(
        r.name
        for i, r in enumerate(chain)
        if i == len(chain) - 1 or r.name not in PLACEHOLDER_CITY_NAMES
    )


def region_covers(scope_code: str, code: str) -> bool:
    """Whether an official whose scope is ``scope_code`` may see ``code``.

    ``000000`` (national) covers any code, known or not; otherwise ``code``
    must be ``scope_code`` itself or one of its descendants.
    """
    if scope_code == NATIONAL_SCOPE:
        return True
    return any(r.code == scope_code for r in ancestors(code))


@lru_cache(maxsize=512)
def codes_within(scope_code: str) -> frozenset[str] | None:
    """``scope_code`` and every code below it (by ancestry, not string prefix), for SQL ``IN``
    filters; ``None`` for the national scope, which needs no filter."""
    if scope_code == NATIONAL_SCOPE:
        return None
    found, todo = {scope_code}, [scope_code]
    while todo:
        for child in children(todo.pop()):
            if child.code not in found:
                found.add(child.code)
                todo.append(child.code)
    return frozenset(found)


def _issue(message: str) -> Issue:
    return Issue("region.unknown", message)


def validate_residence(
    province_code: str | None, city_code: str | None, district_code: str | None
) -> Issue | None:
    """Check a province/city/district triple is a consistent chain.

    A lower level may be empty only where the data has nothing below its
    parent: 东莞/中山/儋州/嘉峪关 have no districts, 台湾/香港/澳门 no cities.
    """
    province = get_region(province_code)
    if province is None or province.level != "province":
        return _issue("省级行政区划代码无效")
    if not city_code:
        if children(province.code):
            return _issue("请选择地市级行政区划")
        return None if not district_code else _issue("区县级行政区划与所选省份不一致")
    city = get_region(city_code)
    if city is None or city.level != "city" or city.parent_code != province.code:
        return _issue("地市级行政区划代码无效或不属于所选省份")
    if not district_code:
        return _issue("请选择区县级行政区划") if children(city.code) else None
    district = get_region(district_code)
    if district is None or district.level != "district" or district.parent_code != city.code:
        return _issue("区县级行政区划代码无效或不属于所选地市")
    return None
