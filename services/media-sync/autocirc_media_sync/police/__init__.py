"""The police side of a delivery: what is sent, how failures are classified, and the client port.

Any implementation of :class:`PoliceClient` fits; the HTTP adapter in :mod:`.http` speaks to the
bundled stub or to the real police endpoint, chosen by configuration.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PoliceDocument:
    """One image (POST ``{base}/documents``)."""

    idempotency_key: str
    uscc: str | None
    name: str
    kind: str
    sha256: str
    content_type: str
    image: bytes
    filing_version: int | None = None

    path = "/documents"

    def payload(self) -> dict:
        return {"uscc": self.uscc, "name": self.name, "kind": self.kind, "sha256": self.sha256,
                "content_type": self.content_type, "filing_version": self.filing_version,
                "image_base64": base64.b64encode(self.image).decode("ascii")}


@dataclass(frozen=True)
class PoliceFilingRecord:
    """One filing record (POST ``{base}/filings``): confirmed, changed or revoked."""

    idempotency_key: str
    body: dict

    path = "/filings"

    def payload(self) -> dict:
        return self.body


PoliceMessage = PoliceDocument | PoliceFilingRecord


class DeliveryError(Exception):
    """A failed attempt. The message is Chinese: it becomes the delivery's ``last_error``."""

    retryable = True

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TransientDeliveryError(DeliveryError):
    """Worth retrying: connection trouble, timeout, 5xx, 429."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help (the police refused the request itself): fail at once."""

    retryable = False


class PoliceClient(Protocol):
    async def deliver(self, message: PoliceMessage) -> str:
        """Hand one message over; returns the police receipt id or raises :class:`DeliveryError`."""
        ...

    async def aclose(self) -> None: ...
