"""The pre-fill: each transaction's last known facts, and per enterprise/month/category sums.

Sums are only ever changed by relative updates (``count = count + :delta``), so two
replicas applying different transactions to one row never lose an increment.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Index, Integer, Numeric, String, Table

from ..domain.facts import COUNTERS
from . import ReportsBase

transaction_facts = Table(
    "transaction_facts", ReportsBase.metadata,
    Column("transaction_id", String(36), primary_key=True),
    Column("enterprise_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("region_code", String(6)),
    Column("trade_date", Date),
    Column("report_category", String(20)),
    Column("amount_yuan", Numeric(14, 2)),
    Column("trade_type", String(12)),
    Column("transfer", String(8)),
    Column("usage", String(16)),
    Column("origin", String(10)),
    Column("first_registration_date", Date),
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
