"""Stand-ins where no channel is configured: the embedded mode writes the message to the service log
(a developer running ``make run`` reads the code there); elsewhere only that nothing could be sent."""
from __future__ import annotations

import logging

from ..masking import mask_mobile

log = logging.getLogger("autocirc.outbound")


class LogMailer:
    def __init__(self, show_text: bool) -> None:
        self.show_text = show_text

    async def send(self, to: str, subject: str, text: str) -> None:
        if self.show_text:
            log.warning("no SMTP server configured; e-mail to %s: %s — %s", to, subject, text)
        else:
            log.warning("no SMTP server configured (AUTOCIRC_SMTP_HOST); e-mail '%s' not sent", subject)


class LogSms:
    def __init__(self, show_text: bool) -> None:
        self.show_text = show_text

    async def send(self, mobile: str, text: str) -> None:
        if self.show_text:
            log.warning("no SMS gateway configured; SMS to %s: %s", mask_mobile(mobile), text)
        else:
            log.warning("no SMS gateway configured (AUTOCIRC_SMS_URL); SMS to %s not sent", mask_mobile(mobile))
