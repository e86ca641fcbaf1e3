"""When an owed report is announced: 7 days before its deadline (due), and after it (overdue). Pure rules."""
from __future__ import annotations

from datetime import date, timedelta

from .periods import Cadence, Deadlines, Period

DUE_AHEAD = timedelta(days=7)


def last_ended(cadence: Cadence, today: date) -> Period:
    """The newest period of ``cadence`` that has ended by ``today`` (the one being reported now)."""
    if cadence == "year":
        return Period("year", today.year - 1)
    if cadence == "quarter":
        quarter = (today.month - 1) // 3  # 0: the last quarter of last year
        return Period("quarter", today.year, quarter) if quarter else Period("quarter", today.year - 1, 4)
    return Period("month", today.year, today.month - 1) if today.month > 1 else Period("month", today.year - 1, 12)


def stage(period: Period, deadlines: Deadlines, today: date) -> str | None:
    due = deadlines.due(period)
    if today > due:
        return "overdue"
    if today >= due - DUE_AHEAD:
        return "due"
    return None
