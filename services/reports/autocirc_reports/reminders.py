"""Announcing owed reports: 7 days before the deadline (due) and once it has passed (overdue), each once
(``reminders_sent`` and the event are written in one transaction, through the outbox)."""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from autocirc_shared.events.reports import ReportReminder
from autocirc_shared.service import ServiceRuntime
from sqlalchemy import and_, exists

from .domain.kinds import SPECS
from .domain.periods import Deadlines
from .domain.reminders import last_ended, stage
from .models.enterprises import Enterprise
from .models.reminders import ReminderSent
from .queries.owing import owing

log = logging.getLogger(__name__)


async def remind(runtime: ServiceRuntime) -> int:
    """One sweep over every kind's current period; the number of reminders announced."""
    settings = runtime.settings
    today, deadlines = settings.today_date(), Deadlines.from_settings(settings)
    now, announced = datetime.now(UTC), 0
    async with runtime.uow() as uow:
        for spec in SPECS.values():
            period = last_ended(spec.cadence, today)
            what = stage(period, deadlines, today)
            if what is None:
                continue
            told = exists().where(and_(ReminderSent.enterprise_id == Enterprise.enterprise_id,
                                       ReminderSent.kind == spec.kind, ReminderSent.period == str(period),
                                       ReminderSent.stage == what))
            due = deadlines.due(period)
            # only enterprises confirmed by the deadline owed that period
            query = owing(spec.kind, str(period)).where(~told, Enterprise.first_confirmed_on <= due)
            for enterprise in (await uow.session.scalars(query)).all():
                uow.session.add(ReminderSent(enterprise_id=enterprise.enterprise_id, kind=spec.kind,
                                             period=str(period), stage=what, at=now))
                uow.emit(ReportReminder(enterprise_id=enterprise.enterprise_id, kind=spec.kind, kind_label=spec.label,
                                        period=str(period), deadline=due, stage=what, at=now))
                announced += 1
        await uow.commit()
    return announced


async def remind_forever(runtime: ServiceRuntime) -> None:
    while True:
        try:
            await remind(runtime)
        except Exception:  # noqa: BLE001 - a database outage must not end the reminders
            log.warning("report reminders: sweep failed, retrying", exc_info=True)
        await asyncio.sleep(runtime.settings.reminder_poll_seconds)
