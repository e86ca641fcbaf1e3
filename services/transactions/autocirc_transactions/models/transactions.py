"""transactions's own tables: the records, their audit trail, and the enterprises it has learnt of."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Date, DateTime, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from . import TransactionsBase


def utcnow() -> datetime:
    return datetime.now(UTC)


class EnterpriseGate(TransactionsBase):
    """Projection of identity's enterprise events, filing.confirmed.v1 and filing.revoked.v1: who may enter
    records, and where. A filing is in force when its newest confirmation is newer than its newest revocation."""

    __tablename__ = "enterprises"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str | None] = mapped_column(String(18))
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    region_code: Mapped[str] = mapped_column(String(6))
    region_as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_version: Mapped[int | None] = mapped_column(Integer)
    first_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_version: Mapped[int | None] = mapped_column(Integer)

    @staticmethod
    def in_force(confirmed_version: int | None, revoked_version: int | None) -> bool:
        """A filing is in force when its newest confirmation is newer than its newest revocation."""
        return confirmed_version is not None and confirmed_version > (revoked_version or 0)

    @property
    def filing_in_force(self) -> bool:
        return self.in_force(self.confirmed_version, self.revoked_version)


class Transaction(TransactionsBase):
    """One used-car sale (二手车销售基本情况表). ``data`` is the checked form; the columns beside it are
    what lists search and sort on and what the events carry."""

    __tablename__ = "transactions"
    __table_args__ = (
        Index("uq_transactions_enterprise_vin_trade_date", "enterprise_id", "vin", "trade_date", unique=True),
        Index("ix_transactions_enterprise_trade_date", "enterprise_id", "trade_date"),
        Index("ix_transactions_enterprise_reported_at", "enterprise_id", "reported_at"),
        Index("ix_transactions_enterprise_plate", "enterprise_id", "plate_number"),
        Index("ix_transactions_region_trade_date", "region_code", "trade_date"),
        Index("ix_transactions_region_reported_at", "region_code", "reported_at"),
        Index("ix_transactions_vin", "vin"),
        Index("ix_transactions_plate", "plate_number"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(36))
    region_code: Mapped[str] = mapped_column(String(6))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reported_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(36))
    buyer_name: Mapped[str] = mapped_column(String(200))
    seller_name: Mapped[str] = mapped_column(String(200))
    vin: Mapped[str] = mapped_column(String(17))
    plate_number: Mapped[str] = mapped_column(String(20))
    vehicle_type: Mapped[str] = mapped_column(String(3))
    report_category: Mapped[str] = mapped_column(String(20))
    usage: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(10))
    first_registration_date: Mapped[date] = mapped_column(Date)
    trade_date: Mapped[date] = mapped_column(Date)
    trade_type: Mapped[str] = mapped_column(String(12))
    transfer: Mapped[str] = mapped_column(String(8))
    price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    mileage_km: Mapped[Decimal | None] = mapped_column(Numeric(9, 1))  # the vehicle history's odometer series
    data: Mapped[dict] = mapped_column(JSON)


class TransactionAudit(TransactionsBase):
    """Audit trail: who created, changed or deleted a record, when, and each changed field before/after."""

    __tablename__ = "transaction_history"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    transaction_id: Mapped[str] = mapped_column(String(36), index=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(36))
    actor_name: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict | None] = mapped_column(JSON)
