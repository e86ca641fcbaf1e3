"""Usage nature (使用性质) codes as on the driving licence, grouped for reports.

The codes are the public security traffic-management code table (see
SOURCES.md).  Reports only split 营运 / 非营运, so each code has a group:

- ``operating``: the vehicle earns money by carrying passengers or goods or by
  being hired out -- 公路/公交/出租/旅游/预约出租客运, 货运, 危化品运输, 租赁 --
  plus 教练 (paid driver training) and the school buses O/P/Q/S, which carry
  passengers as a service and fall under the operating-bus rules (licence
  scrapping age, transport permits).
- ``non_operating``: 非营运; official and emergency use (警用, 消防, 救护,
  工程救险), which is public service rather than business; and the 转非 codes
  (营转非, 出租转非, 预约出租转非), whose whole point is that the vehicle has
  left operating use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

UsageGroup = Literal["operating", "non_operating"]

USAGE_GROUPS: dict[str, str] = {"operating": "营运", "non_operating": "非营运"}


@dataclass(frozen=True)
class Usage:
    code: str
    name: str
    group: UsageGroup


_OP: UsageGroup = "operating"
_NON: UsageGroup = "non_operating"
_USAGES = (
    Usage("A", "非营运", _NON),
    Usage("B", "公路客运", _OP),
    Usage("C", "公交客运", _OP),
    Usage("D", "出租客运", _OP),
    Usage("E", "旅游客运", _OP),
    Usage("F", "货运", _OP),
    Usage("G", "租赁", _OP),
    Usage("H", "警用", _NON),
    Usage("I", "消防", _NON),
    Usage("J", "救护", _NON),
    Usage("K", "工程救险", _NON),
    Usage("L", "营转非", _NON),
    Usage("M", "出租转非", _NON),
    Usage("N", "教练", _OP),
    Usage("O", "幼儿校车", _OP),
    Usage("P", "小学生校车", _OP),
    Usage("Q", "初中生校车", _OP),
    Usage("R", "危化品运输", _OP),
    Usage("S", "中小学生校车", _OP),
    Usage("T", "预约出租客运", _OP),
    Usage("U", "预约出租转非", _NON),
)
_BY_CODE = {u.code: u for u in _USAGES}


def all_usages() -> list[Usage]:
    """Every code, A to U."""
    return list(_USAGES)


def get_usage(code: str | None) -> Usage | None:
    return _BY_CODE.get(code.strip().upper()) if code else None
