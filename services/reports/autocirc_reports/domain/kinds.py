"""The six report kinds: their figures, how their rows add up, and who files them.

Who files what (an enterprise with several types owes every kind any of its types owes):

| kind                  | 报表           | cadence | filed by                                        |
|-----------------------|----------------|---------|-------------------------------------------------|
| `used-car-monthly`    | 二手车交易月报  | month   | used_car_dealer, used_car_broker, used_car_auction |
| `market-monthly`      | 交易市场月报    | month   | used_car_market                                 |
| `market-annual`       | 交易市场年报    | year    | used_car_market                                 |
| `appraisal-quarterly` | 鉴定评估季报    | quarter | used_car_appraiser                              |
| `new-car-monthly`     | 汽车销售月报    | month   | oem, import_distributor, new_car_dealer         |
| `new-car-annual`      | 汽车销售年报    | year    | oem, import_distributor, new_car_dealer         |

The seed's 二手车交易月报 is the used-car *enterprise's* report (菜单 "二手车交易月报(企业)");
a market reports its trades in 交易市场月报, which has the same figures plus origin and age
bands, so it does not file both. Appraisers do not trade: they file only 鉴定评估季报.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .periods import Cadence

Unit = Literal["count", "wan", "area"]
DraftSource = Literal["transactions", "monthly_reports"]

CATEGORIES: dict[str, str] = {
    "passenger_basic": "基本型", "mpv": "MPV", "suv": "SUV", "crossover": "交叉型", "truck": "货车",
    "tricycle": "三轮汽车（原三轮农用运输车）", "low_speed_truck": "低速货车（原四轮农用运输车）",
    "trailer": "挂车", "motorcycle": "摩托车", "other": "其他车",
}
USED_CAR_TRADERS = frozenset({"used_car_dealer", "used_car_broker", "used_car_auction"})
NEW_CAR = frozenset({"oem", "import_distributor", "new_car_dealer"})


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    unit: Unit = "count"
    signed: bool = False  # may be negative (营业利润)


@dataclass(frozen=True)
class AddUp:
    """``parts`` must add up to ``total`` in every row."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    cadence: Cadence
    filers: frozenset[str]
    measures: tuple[Measure, ...]
    keys: tuple[str, ...] = ()  # () = one set of figures per report, no rows
    add_ups: tuple[AddUp, ...] = ()
    draft_source: DraftSource | None = None
    prefilled: tuple[str, ...] = field(default=())  # measures the draft fills (compared for discrepancies)

    @property
    def has_rows(self) -> bool:
        return bool(self.keys)

    @property
    def by_category(self) -> bool:
        return self.keys == ("category",)

    def measure(self, name: str) -> Measure:
        return next(m for m in self.measures if m.name == name)

    @property
    def amount_measures(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.unit == "wan")


AMOUNT = Measure("amount_wan", "交易金额（万元）", "wan")
COUNT = Measure("count", "交易数量（辆）")
TRADE = (
    AMOUNT, COUNT,
    Measure("direct_count", "直接交易数量"), Measure("consignment_count", "委托交易数量"),
    Measure("local_transfer_count", "本地过户数量"), Measure("out_transfer_count", "转出（外迁）数量"),
    Measure("operating_count", "营运车辆数量"), Measure("non_operating_count", "非营运车辆数量"),
)
ORIGIN_AGE = (
    Measure("domestic_count", "国产车数量"), Measure("imported_count", "进口车数量"),
    Measure("age_le_3", "使用年限3年及以下"), Measure("age_3_5", "使用年限3年以上至5年"),
    Measure("age_5_10", "使用年限5年以上至10年"), Measure("age_gt_10", "使用年限10年以上"),
)
TRADE_RULES = (
    AddUp("count", ("direct_count", "consignment_count")),
    AddUp("count", ("local_transfer_count", "out_transfer_count")),
    AddUp("count", ("operating_count", "non_operating_count")),
)
ORIGIN_AGE_RULES = (
    AddUp("count", ("domestic_count", "imported_count")),
    AddUp("count", ("age_le_3", "age_3_5", "age_5_10", "age_gt_10")),
)
NEW_CAR_KEYS = ("manufacturer_id", "brand_id", "model_id", "displacement")

SPECS: dict[str, KindSpec] = {spec.kind: spec for spec in (
    KindSpec("used-car-monthly", "二手车交易月报", "month", USED_CAR_TRADERS, TRADE, ("category",), TRADE_RULES,
             "transactions", tuple(m.name for m in TRADE)),
    KindSpec("market-monthly", "交易市场月报", "month", frozenset({"used_car_market"}), TRADE + ORIGIN_AGE,
             ("category",), TRADE_RULES + ORIGIN_AGE_RULES, "transactions", tuple(m.name for m in TRADE + ORIGIN_AGE)),
    KindSpec("market-annual", "交易市场年报", "year", frozenset({"used_car_market"}), (
        Measure("business_area_m2", "市场经营面积（平方米）", "area"),
        Measure("resident_merchant_count", "驻场商户数量（户）"),
        Measure("staff_count", "市场内从业人数（人）"),
        Measure("trade_count", "二手车交易数量（辆）"),
        Measure("trade_amount_wan", "二手车交易额（万元）", "wan"),
        Measure("revenue_wan", "市场营业收入（万元）", "wan"),
        Measure("profit_wan", "市场营业利润（万元，亏损填负数）", "wan", signed=True),
    ), draft_source="transactions", prefilled=("trade_count", "trade_amount_wan")),
    KindSpec("appraisal-quarterly", "鉴定评估季报", "quarter", frozenset({"used_car_appraiser"}), (
        Measure("count", "鉴定评估车辆数（辆）"),
        Measure("trade_purpose_count", "其中：为交易鉴定评估"),
        Measure("other_purpose_count", "其中：其他目的（抵押、司法、保险等）"),
        Measure("amount_wan", "评估价值合计（万元）", "wan"),
        Measure("fee_income_wan", "鉴定评估收费收入（万元）", "wan"),
    ), ("category",), (AddUp("count", ("trade_purpose_count", "other_purpose_count")),)),
    KindSpec("new-car-monthly", "汽车销售月报", "month", NEW_CAR, (
        Measure("count", "销售数量（辆）"), Measure("amount_wan", "销售金额（万元）", "wan"),
    ), NEW_CAR_KEYS),
    KindSpec("new-car-annual", "汽车销售年报", "year", NEW_CAR, (
        Measure("sales_count", "汽车销售量（辆）"),
        Measure("sales_amount_wan", "汽车销售额（万元）", "wan"),
        Measure("total_assets_wan", "资产总额（万元）", "wan"),
        Measure("business_area_m2", "经营面积（平方米）", "area"),
        Measure("staff_count", "从业人数（人）"),
    ), draft_source="monthly_reports", prefilled=("sales_count", "sales_amount_wan")),
)}

KEY_LABELS = {"category": "车辆类别", "manufacturer_id": "供应商（生产商）", "brand_id": "品牌", "model_id": "车型",
              "displacement": "排量（升）"}


def kinds_owed(types: list[str] | set[str]) -> list[str]:
    """The report kinds an enterprise of these types files."""
    return [kind for kind, spec in SPECS.items() if spec.filers & set(types)]
