"""Events published by services/transactions: what reports need to aggregate, per transaction.

Every event carries the transaction's ``version`` (1 when recorded, +1 per amendment, +1 on
deletion) so a consumer applies them in order whatever order they arrive in: a fact with a
version not above the one it holds changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .base import Event


@dataclass(frozen=True)
class Width:
    """A coded fact's column width in reports' table. Its values are checked by its ``Literal``; a ``max_length``
    there would add pydantic's generic length check, a Python call, to each such fact of every event (five per
    item: ~2 µs an item, producing and consuming an import's set events)."""
    chars: int


ReportCategory = Literal["passenger_basic", "mpv", "suv", "crossover", "truck", "tricycle", "low_speed_truck",
                         "trailer", "motorcycle", "other"]


class TransactionFacts(BaseModel):
    """What reports aggregate of one transaction, never any personal data: THE list of facts.

    Everything else is derived from it: transactions fills every field from its stored row
    (``autocirc_transactions.domain.facts.facts_from``: a field read from a column of another name is
    listed there), reports keeps one column per fact (``FACT_FIELDS``) in its ``transaction_facts``
    table (``autocirc_reports.models.facts``, the column type from the field's type and ``max_length`` or ``Width``).
    """

    enterprise_id: str
    region_code: str = Field(max_length=6, description="企业住所所在区县代码")
    trade_date: date = Field(description="交易日期")
    report_category: Annotated[ReportCategory, Width(20)] = Field(description="报表车辆类别")
    amount_yuan: Decimal = Field(description="成交价（元）")
    trade_type: Annotated[Literal["direct", "consignment"], Width(12)] = Field(description="直销/代销")
    transfer: Annotated[Literal["local", "out"], Width(8)] = Field(description="本地转籍/外迁")
    usage: Annotated[Literal["operating", "non_operating"], Width(16)] = Field(description="营运/非营运")
    origin: Annotated[Literal["domestic", "imported"], Width(10)] = Field(description="国产/进口")
    first_registration_date: date = Field(description="初次登记日期（车龄）")


FACT_FIELDS: tuple[str, ...] = tuple(name for name in TransactionFacts.model_fields if name != "enterprise_id")
"""The facts reports keeps per transaction (its rows are keyed by transaction and enterprise besides)."""


class TransactionRecorded(Event):
    NAME = "transactions.recorded.v1"

    transaction_id: str
    version: int
    facts: TransactionFacts
    recorded_at: datetime


class TransactionAmended(Event):
    NAME = "transactions.amended.v1"

    transaction_id: str
    version: int
    facts: TransactionFacts
    amended_at: datetime


class TransactionDeleted(Event):
    NAME = "transactions.deleted.v1"

    transaction_id: str
    version: int
    enterprise_id: str
    deleted_at: datetime


MAX_SET_ITEMS = 1000  # one import chunk or one batch POST; keeps a message well under broker and outbox limits


class RecordedItem(BaseModel):
    """One record of a set: its id, the version it was stored at, its facts."""

    transaction_id: str
    version: int = 1
    facts: TransactionFacts


class TransactionsRecordedSet(Event):
    """Many records stored in one transaction (an import chunk, a batch POST): one message instead of one per record.

    Applied exactly like as many ``TransactionRecorded``: each item's version is compared with the one the
    consumer holds for that transaction, so a set applied twice, or overlapping single events, counts once."""

    NAME = "transactions.recorded_set.v1"

    items: list[RecordedItem] = Field(min_length=1, max_length=MAX_SET_ITEMS)
    source: Literal["import", "batch"] = Field(description="导入 / 批量接口")
    recorded_at: datetime
