"""GA 802 vehicle types (机动车类型) as printed on the driving licence, and the
report category (报表车辆类别) each one counts under.

The used-car reports count passenger cars by industry statistics class
(基本型/MPV/SUV/交叉型), which the licence type only partly decides: 小型轿车
is a basic passenger car and 小型越野客车 an SUV, but 小型普通客车 (K31) and
微型普通客车 (K41) cover basic cars, MPVs, SUVs and minivans alike.  For those
two ``passenger`` is true, ``report_category`` is ``None`` and the clerk (or
the catalogue model) chooses; every other type has a fixed category.

The code table (``vehicle_types.json``, see SOURCES.md) is loaded once and
cached; the category rules live here, not in the data file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..validation.issue import Issue

REPORT_CATEGORIES: dict[str, str] = {
    "passenger_basic": "基本型",
    "mpv": "MPV",
    "suv": "SUV",
    "crossover": "交叉型",
    "truck": "货车",
    "tricycle": "三轮汽车",
    "low_speed_truck": "低速货车",
    "trailer": "挂车",
    "motorcycle": "摩托车",
    "other": "其他车",
}
PASSENGER_CATEGORIES = ("passenger_basic", "mpv", "suv", "crossover")

_FIXED_PASSENGER = {
    "K33": "passenger_basic",
    "K43": "passenger_basic",
    "K32": "suv",
    "K42": "suv",
    "K39": "crossover",
    "K49": "crossover",
}
_CHOSEN_PASSENGER = frozenset({"K31", "K41"})
_BY_CLASS = {"N": "tricycle", "B": "trailer", "G": "trailer", "M": "motorcycle"}


@dataclass(frozen=True)
class VehicleType:
    code: str
    name: str
    report_category: str | None  # None: chosen per vehicle (``passenger``)
    passenger: bool  # True: the report category must be chosen


def _category(code: str) -> str | None:
    """The fixed report category; ``None`` for K31/K41."""
    if code in _CHOSEN_PASSENGER:
        return None
    if code in _FIXED_PASSENGER:
        return _FIXED_PASSENGER[code]
    if code[0] == "H":
        return "low_speed_truck" if code[1] == "5" else "truck"
    # Remaining K (buses, special-purpose and school buses), Q, Z, D, T, J, X.
    return _BY_CLASS.get(code[0], "other")


@lru_cache(maxsize=1)
def _table() -> dict[str, VehicleType]:
    raw = resources.files(__package__).joinpath("vehicle_types.json").read_text("utf-8")
    return {
        code: VehicleType(code, name, _category(code), code in _CHOSEN_PASSENGER)
        for code, name in json.loads(raw)["types"]
    }


def all_vehicle_types() -> list[VehicleType]:
    """Every type in the order of the code table (K, H, Q, Z, D, M, N, T, J, G, B, X)."""
    return list(_table().values())


def get_vehicle_type(code: str | None) -> VehicleType | None:
    return _table().get(code.strip().upper()) if code else None


UNKNOWN = Issue("vehicle_type.unknown", "车辆类型代码无效，请按行驶证填写（如K33 小型轿车）")
REQUIRED = Issue("report_category.required", "该车辆类型须选择报表车辆类别：基本型、MPV、SUV或交叉型")
INVALID_PASSENGER = Issue("report_category.invalid", "报表车辆类别应为基本型、MPV、SUV或交叉型")


def _conflict(vehicle_type: VehicleType) -> Issue:
    label = REPORT_CATEGORIES[vehicle_type.report_category or "other"]
    return Issue(
        "report_category.invalid",
        f"车辆类型{vehicle_type.code}（{vehicle_type.name}）的报表车辆类别只能是{label}",
    )


def report_category_for(code: str | None, chosen: str | None) -> tuple[str | None, Issue | None]:
    """Resolve the report category of a vehicle.

    Returns ``(category, None)`` or ``(None, issue)``.  K31/K41 need ``chosen``
    among the passenger categories; for every other type the category is
    derived and ``chosen`` may be omitted or must agree with it.
    """
    vehicle_type = get_vehicle_type(code)
    if vehicle_type is None:
        return None, UNKNOWN
    chosen = chosen or None
    if vehicle_type.passenger:
        if chosen is None:
            return None, REQUIRED
        if chosen not in PASSENGER_CATEGORIES:
            return None, INVALID_PASSENGER
        return chosen, None
    if chosen is not None and chosen != vehicle_type.report_category:
        return None, _conflict(vehicle_type)
    return vehicle_type.report_category, None
