from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class MediaSyncBase(DeclarativeBase):
    pass


class Delivery(MediaSyncBase):
    """One message on its way to the police: an image, or a filing record (kind ``filing_record``, its body
    in ``payload``). ``idempotency_key`` is unique, so one image of one confirmation, or one record of one
    filing version, is queued once (see :func:`~autocirc_media_sync.usecases.deliveries.idempotency_key`)."""

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
    payload: Mapped[dict | None] = mapped_column(JSON)
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


class StubFiling(MediaSyncBase):
    """A filing record the police stub accepted: one row per idempotency key (so per filing version)."""

    __tablename__ = "police_stub_filings"

    idempotency_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    receipt_id: Mapped[str] = mapped_column(String(40), unique=True)
    uscc: Mapped[str | None] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(16))
    filing_version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict] = mapped_column(JSON)
    key_id: Mapped[str | None] = mapped_column(String(64))
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


class AgencyKey(MediaSyncBase):
    """A key the admin issued to another agency (a vehicle office) for the police look-up. Only its SHA-256
    is kept: the key is 256 random bits, so a fast hash is enough (nothing to brute-force), and the
    look-up by hash is one indexed read."""

    __tablename__ = "agency_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    agency: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PoliceAccess(MediaSyncBase):
    """One look-up by an agency key: who, when, which USCC, what (the record or an image), and the answer."""

    __tablename__ = "police_access_log"
    __table_args__ = (Index("ix_police_access_log_uscc_at", "uscc", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    agency: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(36))
    uscc: Mapped[str] = mapped_column(String(30))
    what: Mapped[str] = mapped_column(String(40))
    status: Mapped[int] = mapped_column(Integer)
