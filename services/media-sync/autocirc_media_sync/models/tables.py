from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class MediaSyncBase(DeclarativeBase):
    pass


class Delivery(MediaSyncBase):
    """One image on its way to the police; ``idempotency_key`` is unique, so one image of one confirmation
    is queued once (see :func:`~autocirc_media_sync.domain.deliveries.idempotency_key`)."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    uscc: Mapped[str | None] = mapped_column(String(30))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    blob_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    filing_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claim_id: Mapped[str | None] = mapped_column(String(36))
    receipt_id: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MediaHead(MediaSyncBase):
    """Per enterprise and kind, the image named by the newest confirmation applied so far: a repeated
    confirmation, or an older one arriving late (a re-driven dead letter), changes nothing at the police."""

    __tablename__ = "media_heads"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    filing_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StubDocument(MediaSyncBase):
    """What the police stub accepted: one row per idempotency key."""

    __tablename__ = "police_stub_documents"

    idempotency_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    receipt_id: Mapped[str] = mapped_column(String(40), unique=True)
    uscc: Mapped[str | None] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StubCall(MediaSyncBase):
    """Every request the police stub received, counted per idempotency key (for fault tests)."""

    __tablename__ = "police_stub_calls"

    idempotency_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    uscc: Mapped[str | None] = mapped_column(String(30), index=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    faults: Mapped[int] = mapped_column(Integer, default=0)
    replays: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
