"""Local transfer (本地转籍) or out-of-area transfer (外迁), for the reports' local/out counts.

The rule: a sale is a local transfer when the transfer-in vehicle management office
(转入地车辆管理所) is in the same prefecture-level city (地级市) as the enterprise, else it is out.
- With ``deal.transfer_region_code`` (GB/T 2260, any level inside the city) the answer is exact.
  The four municipalities (北京、天津、上海、重庆) count as one city each, so a Beijing office
  coded 110000 is local for a Beijing enterprise; a county-level city directly under a province
  (e.g. 仙桃 429004) is its own city.
- Without it, the office name decides: local when it names the enterprise's city (e.g. 杭州 in
  杭州市公安局交通警察支队车辆管理所) or district, else out. Clerks should send the code.
"""
from __future__ import annotations

from typing import Literal

from autocirc_shared.refdata.regions import PLACEHOLDER_CITY_NAMES, Region, ancestors

Transfer = Literal["local", "out"]
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
_SUFFIXES = ("自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "市", "区", "县", "旗", "盟")


def city_of(code: str | None) -> Region | None:
    """The prefecture-level unit containing ``code`` (a municipality is one), or None if unknown."""
    chain = ancestors(code) if code else []
    if not chain:
        return None
    if chain[0].code in MUNICIPALITIES or len(chain) == 1:
        return chain[0]
    city = chain[1]
    if city.name in PLACEHOLDER_CITY_NAMES and len(chain) > 2:
        return chain[2]  # a county-level city directly under the province
    return city


def short_name(name: str) -> str:
    """``杭州市`` → ``杭州``; ``延边朝鲜族自治州`` → ``延边``; names of two characters stay whole."""
    if "族自治" in name:
        return name[:2]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def transfer_kind(enterprise_region: str, transfer_region_code: str | None, transfer_office: str) -> Transfer:
    home = city_of(enterprise_region)
    if transfer_region_code:
        there = city_of(transfer_region_code)
        return "local" if home is not None and there is not None and there.code == home.code else "out"
    names = [r.name for r in ancestors(enterprise_region)
             if r.name not in PLACEHOLDER_CITY_NAMES and r.level != "province" or r.code in MUNICIPALITIES]
    office = "".join(transfer_office.split())
    return "local" if any(short_name(name) in office for name in names) else "out"
