"""Events published by services/media-sync: the outcome of delivering one image to the police."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from .base import Event
from .filing import MediaKind


class MediaDeliveryUpdated(Event):
    NAME = "media_sync.delivery_updated.v1"

    enterprise_id: str
    kind: MediaKind
    sha256: str
    status: Literal["pending", "delivered", "failed"]
    receipt_id: str | None = None
    attempts: int
    last_error: str | None = None
    updated_at: datetime
