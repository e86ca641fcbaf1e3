"""Enterprises as identity and filing announce them: who they are, where, and what they owe."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from . import ReportsBase


class Enterprise(ReportsBase):
    """identity.enterprise_registered/updated and filing.confirmed, merged by upsert (any order).

    ``region_as_of`` is when identity announced ``region_code`` (None: only filing's copy is known yet)."""

    __tablename__ = "enterprises"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str | None] = mapped_column(String(18))
    business_licence_no: Mapped[str | None] = mapped_column(String(30))
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    region_code: Mapped[str] = mapped_column(String(6), index=True, default="")
    region_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    filing_version: Mapped[int] = mapped_column(Integer, default=0)
    first_confirmed_on: Mapped[date | None] = mapped_column(Date)
    brands: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # the confirmed filing's 营业面积 and 驻场商户数量 (pre-fill of the market annual report)
    filing_figures: Mapped[dict | None] = mapped_column(JSON)


class EnterpriseKind(ReportsBase):
    """A report kind a confirmed enterprise owes (from its types): the 'missing' list reads this."""

    __tablename__ = "enterprise_kinds"

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
