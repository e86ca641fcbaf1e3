"""Drop-down lists of the import template, and the way back from a picked entry to a code.

An entry shows ``"K33 小型轿车"`` where the code matters to the clerk (it is on the driving
licence) and only the Chinese word otherwise (``"直销"``). Reading accepts the shown entry,
the code alone or the word alone, so hand-typed cells work too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from autocirc_shared.refdata.ethnicities import all_ethnicities
from autocirc_shared.refdata.nationalities import all_countries
from autocirc_shared.refdata.usage import USAGE_GROUPS, all_usages
from autocirc_shared.refdata.vehicle_types import REPORT_CATEGORIES, all_vehicle_types


def _key(text: str) -> str:
    return "".join(text.split()).upper()


@dataclass(frozen=True)
class Choices:
    """One enumeration: (code, Chinese label) pairs and how each is shown in the drop-down."""

    title: str
    options: tuple[tuple[str, str], ...]
    show_code: bool = False
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for code, label in self.options:
            for text in (code, label, self.shown(code, label)):
                self._lookup.setdefault(_key(text), code)

    @staticmethod
    def _join(code: str, label: str) -> str:
        return f"{code} {label}"

    def shown(self, code: str, label: str) -> str:
        return self._join(code, label) if self.show_code else label

    @property
    def entries(self) -> list[str]:
        return [self.shown(code, label) for code, label in self.options]

    def code_of(self, text: str) -> str | None:
        """The code for a picked or typed entry; None when nothing matches."""
        return self._lookup.get(_key(text))

    def show(self, code: str | None) -> str | None:
        """The drop-down entry of a stored code (or label); the value itself if unknown."""
        if code is None:
            return None
        known = self.code_of(code)
        for option_code, label in self.options:
            if option_code == known:
                return self.shown(option_code, label)
        return code


YES, NO = "是", "否"
YES_NO = Choices("是否", (("true", YES), ("false", NO)))


@lru_cache(maxsize=1)
def enumerations() -> dict[str, Choices]:
    """Every drop-down, by name; the template lists each on its hidden options sheet."""
    return {
        "yes_no": YES_NO,
        "nationality": Choices("国籍", tuple((c.alpha3, c.name_zh) for c in all_countries()), show_code=True),
        "ethnicity": Choices("民族", tuple((e.code, e.name) for e in all_ethnicities()), show_code=True),
        "id_type": Choices("证件类型", (("resident_id", "居民身份证"), ("passport", "护照"), ("other", "其他证件"))),
        "vehicle_type": Choices("车辆类型", tuple((t.code, t.name) for t in all_vehicle_types()), show_code=True),
        "report_category": Choices("报表车辆类别", tuple(REPORT_CATEGORIES.items())),
        "usage": Choices("使用性质", tuple(USAGE_GROUPS.items())),
        "usage_code": Choices("使用性质代码", tuple((u.code, u.name) for u in all_usages()), show_code=True),
        "origin": Choices("国产/进口", (("domestic", "国产"), ("imported", "进口"))),
        "trade_type": Choices("交易类型", (("direct", "直销"), ("consignment", "代销"))),
    }
