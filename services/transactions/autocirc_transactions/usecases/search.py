"""The list/search filters (seed 2.4.2: 买方、卖方、车辆识别代码、车牌照号、车辆类型、填报时间) as one query.

Names match anywhere in the name; a full 17-character VIN or a whole plate matches exactly
(indexed), a shorter one anywhere in it (clerks often search the last six VIN characters).
The export uses the same filters and so the same query.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.text_search import contains_text
from autocirc_shared.validation import normalise_plate, normalise_vin, validate_plate
from sqlalchemy import Select, select

from ..models.transactions import Transaction
from .scope import scoped

Sort = Literal["trade_date", "-trade_date", "reported_at", "-reported_at"]
DEFAULT_SORT: Sort = "-reported_at"


@dataclass(frozen=True)
class TransactionFilters:
    buyer_name: str | None = None
    seller_name: str | None = None
    vin: str | None = None
    plate_number: str | None = None
    vehicle_type: str | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    trade_from: date | None = None
    trade_to: date | None = None
    sort: Sort = DEFAULT_SORT


def _where(query: Select, f: TransactionFilters) -> Select:
    if f.buyer_name and f.buyer_name.strip():
        query = query.where(contains_text(f.buyer_name, Transaction.buyer_name))
    if f.seller_name and f.seller_name.strip():
        query = query.where(contains_text(f.seller_name, Transaction.seller_name))
    if f.vin and (vin := normalise_vin(f.vin)):
        query = query.where(Transaction.vin == vin if len(vin) == 17
                            else contains_text(vin, Transaction.vin))
    if f.plate_number and (plate := normalise_plate(f.plate_number)):
        query = query.where(Transaction.plate_number == plate if validate_plate(plate) is None
                            else contains_text(plate, Transaction.plate_number))
    if f.vehicle_type and f.vehicle_type.strip():
        query = query.where(Transaction.vehicle_type == f.vehicle_type.strip().upper())
    for column, low, high in ((Transaction.reported_on, f.reported_from, f.reported_to),
                              (Transaction.trade_date, f.trade_from, f.trade_to)):
        if low:
            query = query.where(column >= low)
        if high:
            query = query.where(column <= high)
    return query


def _order(query: Select, sort: Sort) -> Select:
    column = Transaction.trade_date if sort.lstrip("-") == "trade_date" else Transaction.reported_at
    if sort.startswith("-"):
        return query.order_by(column.desc(), Transaction.id.desc())
    return query.order_by(column.asc(), Transaction.id.asc())


def search_query(principal: Principal, filters: TransactionFilters) -> Select:
    """``select(Transaction)`` restricted to what ``principal`` may read, filtered and sorted."""
    return _order(_where(scoped(select(Transaction), principal), filters), filters.sort)
