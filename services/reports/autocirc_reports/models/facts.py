"""The pre-fill: each transaction's last known facts, and per enterprise/month/category sums.

Sums are only ever changed by relative updates (``count = count + :delta``), so two
replicas applying different transactions to one row never lose an increment.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from annotated_types import MaxLen
from autocirc_shared.events.transactions import FACT_FIELDS, TransactionFacts, Width
from sqlalchemy import Boolean, Column, Date, Index, Integer, Numeric, String, Table

from ..domain.facts import COUNTERS
from . import ReportsBase


def fact_column(name: str) -> Column:
    """A fact's column, typed from the contract: a date, an amount in yuan (two decimals), or text of the
    field's ``max_length`` (a coded fact's ``Width``). Nullable: a deleted transaction's row keeps its key and version only."""
    field = TransactionFacts.model_fields[name]
    if field.annotation is date:
        return Column(name, Date)
    if field.annotation is Decimal:
        return Column(name, Numeric(14, 2))
    widths = [m.max_length if isinstance(m, MaxLen) else m.chars for m in field.metadata if isinstance(m, MaxLen | Width)]
    if not widths:
        raise TypeError(f"fact {name!r} needs a max_length or a Width in TransactionFacts (its column's width)")
    return Column(name, String(widths[0]))

transaction_facts = Table(
    "transaction_facts", ReportsBase.metadata,
    Column("transaction_id", String(36), primary_key=True),
    Column("enterprise_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False),
    *(fact_column(name) for name in FACT_FIELDS),  # one column per fact of the contract, in its order
)

transaction_sums = Table(
    "transaction_sums", ReportsBase.metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("category", String(20), primary_key=True),
    Column("region_code", String(6), nullable=False),
    Column("amount_yuan", Numeric(16, 2), nullable=False, default=0),
    *(Column(name, Integer, nullable=False, default=0) for name in COUNTERS),
    Index("ix_transaction_sums_month_region", "month", "region_code"),
)
