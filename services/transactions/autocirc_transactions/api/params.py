"""Query parameters of the list (and of the export, which takes the same filters)."""
from __future__ import annotations

from datetime import date

from fastapi import Query

from ..usecases.search import DEFAULT_SORT, Sort, TransactionFilters


def transaction_filters(
    buyer_name: str | None = Query(None, max_length=200, description="买方名称（包含）"),
    seller_name: str | None = Query(None, max_length=200, description="卖方名称（包含）"),
    vin: str | None = Query(None, max_length=17,
                            description="车辆识别代码（17位精确匹配，不足17位按包含匹配，如后六位）"),
    plate_number: str | None = Query(None, max_length=20, description="车牌照号（完整号牌精确匹配，否则按包含匹配）"),
    vehicle_type: str | None = Query(None, max_length=3, description="车辆类型（GA 802 代码，如 K33）"),
    reported_from: date | None = Query(None, description="填报日期起（YYYY-MM-DD，含）"),
    reported_to: date | None = Query(None, description="填报日期止（YYYY-MM-DD，含）"),
    trade_from: date | None = Query(None, description="交易日期起（YYYY-MM-DD，含）"),
    trade_to: date | None = Query(None, description="交易日期止（YYYY-MM-DD，含）"),
    sort: Sort = Query(DEFAULT_SORT, description="排序：trade_date / -trade_date 按交易日期，reported_at / "
                                                 "-reported_at 按填报时间（- 为倒序，默认 -reported_at）"),
) -> TransactionFilters:
    return TransactionFilters(buyer_name=buyer_name, seller_name=seller_name, vin=vin, plate_number=plate_number,
                              vehicle_type=vehicle_type, reported_from=reported_from, reported_to=reported_to,
                              trade_from=trade_from, trade_to=trade_to, sort=sort)
