"""Which period a reminder is about, and when it is due (7 days ahead) or overdue."""
from __future__ import annotations

from datetime import date

from autocirc_reports.domain.periods import Deadlines, Period
from autocirc_reports.domain.reminders import last_ended, stage


def test_the_period_being_reported_is_the_last_one_ended():
    assert last_ended("month", date(2026, 1, 4)) == Period("month", 2025, 12)
    assert last_ended("month", date(2026, 11, 5)) == Period("month", 2026, 10)
    assert last_ended("quarter", date(2026, 2, 1)) == Period("quarter", 2025, 4)
    assert last_ended("quarter", date(2026, 7, 1)) == Period("quarter", 2026, 2)
    assert last_ended("year", date(2026, 3, 30)) == Period("year", 2025)


def test_due_from_seven_days_before_the_deadline_overdue_after_it():
    october, deadlines = Period("month", 2026, 10), Deadlines()
    assert [stage(october, deadlines, date(2026, 11, d)) for d in (2, 3, 10, 11)] == [None, "due", "due", "overdue"]
    assert stage(Period("year", 2025), deadlines, date(2026, 3, 24)) == "due"
    assert stage(Period("year", 2025), deadlines, date(2026, 4, 1)) == "overdue"
