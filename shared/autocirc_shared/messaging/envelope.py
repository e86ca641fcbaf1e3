"""The envelope every message travels in, whatever the bus."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from ..context import current_correlation_id
from ..events.base import Event


class Envelope(BaseModel):
    message_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    name: str
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    producer: str
    correlation_id: str | None = None
    payload: dict[str, Any]
    # W3C trace context (``traceparent``, ``tracestate``) when tracing is on (tracing.py); stored with the outbox
    # row inside the envelope, so it needs no column of its own
    headers: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def wrap(cls, event: Event, producer: str) -> Envelope:
        return cls(name=event.NAME, producer=producer, correlation_id=current_correlation_id(),
                   payload=event.model_dump(mode="json"))
