"""Reminders already announced (one per enterprise, kind, period and stage)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from . import ReportsBase


class ReminderSent(ReportsBase):
    __tablename__ = "reminders_sent"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    stage: Mapped[str] = mapped_column(String(8), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
