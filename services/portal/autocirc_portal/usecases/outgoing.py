"""The mail outbox's sender: e-mails written with their notifications are sent here, retried, marked sent."""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from autocirc_shared.outbound import OutboundError
from autocirc_shared.service import ServiceRuntime
from sqlalchemy import select

from ..models import OutgoingMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


async def send_pending(runtime: ServiceRuntime, batch: int = 20) -> int:
    """Send one batch; the number sent. Replicas skip each other's rows (PostgreSQL SKIP LOCKED)."""
    mailer = runtime.app.state.courier.mailer
    query = (select(OutgoingMail).where(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS)
             .order_by(OutgoingMail.created_at).limit(batch))
    if runtime.db.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    sent = 0
    async with runtime.db.sessionmaker() as session:
        for mail in (await session.scalars(query)).all():
            try:
                await mailer.send(mail.to, mail.subject, mail.text)
            except OutboundError as exc:
                mail.attempts, mail.last_error = mail.attempts + 1, str(exc)[:500]
                continue
            mail.sent_at, mail.attempts = datetime.now(UTC), mail.attempts + 1
            sent += 1
        await session.commit()
    return sent


async def send_mail_forever(runtime: ServiceRuntime) -> None:
    poll = runtime.settings.mail_poll_seconds
    while True:
        try:
            if await send_pending(runtime):
                continue
        except Exception:  # noqa: BLE001 - a database outage must not end the sender
            log.warning("mail outbox: sending failed, retrying", exc_info=True)
        await asyncio.sleep(poll)
