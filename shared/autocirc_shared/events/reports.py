"""Events published by services/reports."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .base import Event


class ReportReminder(Event):
    """A report an enterprise owes is due within 7 days (``due``) or past its deadline and not filed (``overdue``);
    announced once per enterprise, kind, period and stage."""

    NAME = "reports.report_reminder.v1"

    enterprise_id: str
    kind: str = Field(description="报表类型")
    kind_label: str = Field(description="报表名称")
    period: str = Field(description="报表期间")
    deadline: date = Field(description="截止日期（含）")
    stage: Literal["due", "overdue"] = Field(description="due 即将到期 / overdue 已逾期")
    at: datetime
