"""What every route needs: today and the deadlines, the reporting enterprise, a valid period."""
from __future__ import annotations

from datetime import date

from autocirc_shared.errors import AppError, FieldError, field_errors
from fastapi import Request

from ..domain.kinds import KindSpec
from ..domain.periods import CADENCE_FORMAT, COARSER, Deadlines, Period


class Clock:
    """Today (``AUTOCIRC_TODAY`` in tests) and the configured deadlines."""

    def __init__(self, request: Request) -> None:
        settings = request.app.state.runtime.settings
        self.today: date = settings.today_date()
        self.deadlines = Deadlines.from_settings(settings)

    def ensure_open(self, period: Period) -> None:
        if self.deadlines.locked(period, self.today):
            due = self.deadlines.due(period)
            raise AppError(409, "report.deadline_passed",
                           f"{period}的报表已于{due.isoformat()}截止，不能再填报、修改或删除")

    def late(self, period: Period) -> bool:
        """Filing or changing now is 迟报 (a monthly or quarterly report after its deadline, late filing open)."""
        return self.deadlines.late(period, self.today)


def _period_error(code: str, message: str, field: str) -> AppError:
    return field_errors(422, [FieldError(field=field, code=code, message=message)])


def parse_period(spec: KindSpec, text: str | None, today: date, *, coarser: bool = False, filing: bool = True,
                 field: str = "period") -> Period:
    """``text`` as a period of the kind's cadence (or, for statistics, a coarser one) that has begun; to file an
    annual report, one that has ended (a draft of the running year may be looked at)."""
    allowed = COARSER[spec.cadence] if coarser else (spec.cadence,)
    formats = " / ".join(CADENCE_FORMAT[c] for c in allowed)
    period = Period.parse(text or "")
    if period is None or period.cadence not in allowed:
        raise _period_error("report.period_format", f"{spec.label}的期间格式应为 {formats}", field)
    if period.is_future(today):
        raise _period_error("report.period_future", f"报表期间{period}尚未开始", field)
    if filing and spec.cadence == "year" and period.cadence == "year" and not period.has_ended(today):
        raise _period_error("report.period_future", f"{period}年度尚未结束，{spec.label}须在年度结束后填报", field)
    return period
