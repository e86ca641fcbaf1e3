"""E-mail through an SMTP server (aiosmtplib)."""
from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from .ports import OutboundError


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str, *, username: str | None = None,
                 password: str | None = None, starttls: bool = False, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout = username, password, starttls, timeout

    async def send(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(text)
        try:
            await aiosmtplib.send(message, hostname=self.host, port=self.port, username=self.username,
                                  password=self.password, start_tls=self.starttls, timeout=self.timeout)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise OutboundError(f"smtp {self.host}:{self.port}: {exc}") from exc
