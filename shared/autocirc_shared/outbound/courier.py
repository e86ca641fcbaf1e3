"""Sending after the answer: each message is a task kept until done; failures are logged, never raised."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from ..settings import CommonSettings
from .log_only import LogMailer, LogSms
from .ports import Mailer, SmsGateway
from .sms_http import HttpSmsGateway
from .smtp import SmtpMailer

log = logging.getLogger("autocirc.outbound")


class Courier:
    def __init__(self, mailer: Mailer, sms: SmsGateway) -> None:
        self.mailer, self.sms = mailer, sms
        self._tasks: set[asyncio.Task[None]] = set()

    def email_later(self, to: str, subject: str, text: str) -> None:
        self._later(self.mailer.send(to, subject, text), "e-mail")

    def sms_later(self, mobile: str, text: str) -> None:
        self._later(self.sms.send(mobile, text), "SMS")

    def _later(self, sending: Awaitable[None], what: str) -> None:
        async def run() -> None:
            try:
                await sending
            except Exception as exc:  # noqa: BLE001 - one lost message must not take anything else down
                log.warning("%s not sent: %s", what, exc)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait (bounded) for what is still being sent, e.g. at shutdown."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def courier_from(settings: CommonSettings) -> Courier:
    """SMTP and the SMS gateway where configured; else the log (with the text only in the embedded mode)."""
    embedded = not settings.amqp_url and not settings.database_url
    mailer: Mailer = (SmtpMailer(settings.smtp_host, settings.smtp_port, settings.mail_from,
                                 username=settings.smtp_username, password=settings.smtp_password,
                                 starttls=settings.smtp_starttls)
                      if settings.smtp_host else LogMailer(show_text=embedded))
    sms: SmsGateway = HttpSmsGateway(settings.sms_url) if settings.sms_url else LogSms(show_text=embedded)
    return Courier(mailer, sms)
