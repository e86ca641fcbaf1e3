"""Reports' reminders reach the enterprise that owes the report."""
from __future__ import annotations

from autocirc_shared.events.reports import ReportReminder
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..domain import messages
from .notify import notify


async def on_report_reminder(event: ReportReminder, uow: UnitOfWork) -> None:
    make = messages.report_due if event.stage == "due" else messages.report_overdue
    await notify(uow, event.enterprise_id, make(event.kind_label, event.period, event.deadline), event.at)
