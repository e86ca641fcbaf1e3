"""Filed reports: a header row, and the figures as typed lines (one table per kind, the only copy)
that statistics aggregate with SQL."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, Numeric, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.kinds import SPECS, KindSpec, Measure
from . import ReportsBase


def utcnow() -> datetime:
    return datetime.now(UTC)


class Report(ReportsBase):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "kind", "period", name="uq_reports_enterprise_kind_period"),
        Index("ix_reports_kind_period_region", "kind", "period", "region_code"),
        Index("ix_reports_enterprise_kind_year", "enterprise_id", "kind", "year"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(7))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(6))
    filler_name: Mapped[str | None] = mapped_column(String(50))
    filler_phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # 迟报: filed or last changed after the deadline (reports' today, so AUTOCIRC_TODAY decides in tests)
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


KEY_COLUMNS = {
    "category": lambda: Column("category", String(20), nullable=False),
    "manufacturer_id": lambda: Column("manufacturer_id", String(36), nullable=False),
    "brand_id": lambda: Column("brand_id", String(36), nullable=False),
    "model_id": lambda: Column("model_id", String(36), nullable=False),
    "displacement": lambda: Column("displacement", Numeric(4, 1), nullable=False),
}
UNIT_TYPES = {"count": lambda: Integer(), "wan": lambda: Numeric(16, 4), "area": lambda: Numeric(14, 2)}


def _measure_column(measure: Measure) -> Column:
    return Column(measure.name, UNIT_TYPES[measure.unit](), nullable=False, default=0)


def _line_table(spec: KindSpec) -> Table:
    name = "lines_" + spec.kind.replace("-", "_")
    return Table(
        name, ReportsBase.metadata,
        Column("report_id", String(36), primary_key=True),
        Column("line_no", Integer, primary_key=True),
        Column("enterprise_id", String(36), nullable=False),
        Column("period", String(7), nullable=False),
        Column("region_code", String(6), nullable=False),
        *(KEY_COLUMNS[key]() for key in spec.keys),
        *(_measure_column(m) for m in spec.measures),
        Index(f"ix_{name}_period_region", "period", "region_code"),
        Index(f"ix_{name}_enterprise_period", "enterprise_id", "period"),
    )


LINE_TABLES: dict[str, Table] = {kind: _line_table(spec) for kind, spec in SPECS.items()}
