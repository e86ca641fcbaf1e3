"""The two ports: what a service needs of an e-mail and an SMS channel."""
from __future__ import annotations

from typing import Protocol


class OutboundError(Exception):
    """The channel refused or could not take the message."""


class Mailer(Protocol):
    async def send(self, to: str, subject: str, text: str) -> None: ...


class SmsGateway(Protocol):
    async def send(self, mobile: str, text: str) -> None: ...
