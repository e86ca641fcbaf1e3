"""The envelope every message travels in, whatever the bus."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

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


class EnvelopeHead(BaseModel):
    """What a bus needs of an envelope to send it, read from its JSON text without its payload (pydantic-core
    skips the ignored keys without building them: 0.5 ms for an import's 350 KB set event, 6 ms decoded whole)."""
    model_config = ConfigDict(extra="ignore")

    message_id: str
    name: str
    producer: str
    correlation_id: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class StoredEnvelope:
    """An envelope as the outbox stored it: its JSON text, sent as it is, and its head."""
    head: EnvelopeHead
    text: str

    @classmethod
    def of(cls, text: str) -> StoredEnvelope:
        return cls(EnvelopeHead.model_validate_json(text), text)

    def decoded(self) -> Envelope:
        return Envelope.model_validate_json(self.text)
