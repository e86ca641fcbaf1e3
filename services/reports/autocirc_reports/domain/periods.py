"""Report periods (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``) and their deadlines."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

Cadence = Literal["month", "quarter", "year"]

_PATTERNS: tuple[tuple[Cadence, re.Pattern[str]], ...] = (
    ("month", re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$")),
    ("year", re.compile(r"^(\d{4})$")),
)
MIN_YEAR, MAX_YEAR = 2000, 2100
CADENCE_FORMAT = {"month": "YYYY-MM", "quarter": "YYYY-Qn", "year": "YYYY"}
COARSER = {"month": ("month", "quarter", "year"), "quarter": ("quarter", "year"), "year": ("year",)}


@dataclass(frozen=True)
class Period:
    cadence: Cadence
    year: int
    index: int = 1  # month 1-12, quarter 1-4, 1 for a year

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """The period ``text`` names, or None when it is not one of the three formats."""
        for cadence, pattern in _PATTERNS:
            match = pattern.match((text or "").strip())
            if match:
                year = int(match.group(1))
                if not MIN_YEAR <= year <= MAX_YEAR:
                    return None
                return cls(cadence, year, int(match.group(2)) if cadence != "year" else 1)
        return None

    def __str__(self) -> str:
        if self.cadence == "month":
            return f"{self.year:04d}-{self.index:02d}"
        if self.cadence == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def month(self) -> int | None:
        return self.index if self.cadence == "month" else None

    @property
    def quarter(self) -> int | None:
        if self.cadence == "month":
            return (self.index - 1) // 3 + 1
        return self.index if self.cadence == "quarter" else None

    @property
    def first_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.cadence]

    @property
    def last_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index, "year": 12}[self.cadence]

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def last_day(self) -> date:
        return _clamped(self.year, self.last_month, 31)

    def months(self) -> list[str]:
        """The ``YYYY-MM`` keys of the months the period covers."""
        return [f"{self.year:04d}-{m:02d}" for m in range(self.first_month, self.last_month + 1)]

    def split(self, cadence: Cadence) -> list[Period]:
        """The periods of a finer (or equal) ``cadence`` that make up this one."""
        if cadence == self.cadence:
            return [self]
        if cadence == "month":
            return [Period("month", self.year, m) for m in range(self.first_month, self.last_month + 1)]
        return [Period("quarter", self.year, q) for q in range((self.first_month + 2) // 3, self.last_month // 3 + 1)]

    def is_future(self, today: date) -> bool:
        """Not begun yet. The running period may be filed (some enterprises close their books early)."""
        return self.first_day > today

    def has_ended(self, today: date) -> bool:
        return self.last_day < today

    def previous(self) -> Period:
        if self.cadence == "year":
            return Period("year", self.year - 1)
        count = 12 if self.cadence == "month" else 4
        return Period(self.cadence, self.year - 1, count) if self.index == 1 else Period(self.cadence, self.year,
                                                                                        self.index - 1)

    @classmethod
    def containing(cls, cadence: Cadence, day: date) -> Period:
        index = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 1}[cadence]
        return cls(cadence, day.year, index)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


class DeadlineSettings(Protocol):
    """The settings the deadlines come from (the service's settings)."""

    report_monthly_due_day: int
    report_quarterly_due_day: int
    report_annual_due_month: int
    report_annual_due_day: int
    report_late_filing: bool


@dataclass(frozen=True)
class Deadlines:
    """Last day (inclusive) to file, edit or delete a report on time, per cadence (see settings). After it a
    monthly or quarterly report is still accepted, marked late (迟报), unless the deployment closes them
    (``late_filing`` off); an annual report is refused (the seed: before 1 April)."""

    monthly_day: int = 10
    quarterly_day: int = 10
    annual_month: int = 3
    annual_day: int = 31
    late_filing: bool = True

    @classmethod
    def from_settings(cls, settings: DeadlineSettings) -> Deadlines:
        return cls(settings.report_monthly_due_day, settings.report_quarterly_due_day,
                   settings.report_annual_due_month, settings.report_annual_due_day, settings.report_late_filing)

    def due(self, period: Period) -> date:
        if period.cadence == "year":
            return _clamped(period.year + 1, self.annual_month, self.annual_day)
        day = self.monthly_day if period.cadence == "month" else self.quarterly_day
        return _clamped(*_next_month(period.year, period.last_month), day)

    def locked(self, period: Period, today: date) -> bool:
        """Closed: past the deadline, and late filing is not open for this cadence."""
        return self.late(period, today) and (period.cadence == "year" or not self.late_filing)

    def late(self, period: Period, day: date) -> bool:
        return day > self.due(period)

    def fileable(self, cadence: Cadence, today: date, back: int = 24) -> list[Period]:
        """The periods an enterprise may file now, newest first: begun (an annual report: ended) and not closed;
        the last ``back`` of them at most (late filing stays open without end)."""
        period = Period.containing(cadence, today)
        if cadence == "year":
            period = period.previous()
        out: list[Period] = []
        while len(out) < back and not self.locked(period, today) and period.year >= MIN_YEAR:
            out.append(period)
            period = period.previous()
        return out
