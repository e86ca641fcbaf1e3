"""reports's settings: the filing deadlines (environment ``AUTOCIRC_REPORT_*``).

Each deadline is the *last* day on which a report may be filed, edited or deleted on time. After it a monthly or
quarterly report is still accepted and marked late (迟报) unless ``report_late_filing`` is off; an annual report is
locked (409 ``report.deadline_passed``). Days past a month's end are clamped to its last day.
"""
from __future__ import annotations

from autocirc_shared.settings import CommonSettings
from pydantic import Field


class ReportsSettings(CommonSettings):
    report_monthly_due_day: int = Field(
        10, ge=1, le=31, description="月报截止：次月该日（含）；如10月报表须在11月10日（含）前填报")
    report_quarterly_due_day: int = Field(
        10, ge=1, le=31, description="季报截止：季度结束后次月该日（含）；如第三季度报表须在10月10日（含）前填报")
    report_annual_due_month: int = Field(3, ge=1, le=12, description="年报截止月份（次年）")
    report_annual_due_day: int = Field(
        31, ge=1, le=31, description="年报截止日（次年，含）；默认3月31日，即每年4月1日前填报上一年度年报")
    reminder_poll_seconds: float = Field(
        3600, gt=0, description="How often owed reports are looked at for due (7 days ahead) and overdue reminders")
    report_late_filing: bool = Field(
        True, description="月报、季报过截止日期后仍可填报（标记为迟报）；关闭后过期即不能填报、修改或删除")
