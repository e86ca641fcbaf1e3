"""A delivery's life: queued once per image, attempted, delivered or failed, re-driven by an admin.

Every state change emits :class:`MediaDeliveryUpdated` in the same transaction. Consumers keep
the newest by ``updated_at``, so it only ever moves forward for one delivery.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from autocirc_shared.events.filing import FilingConfirmed, MediaRef
from autocirc_shared.events.media_sync import MediaDeliveryUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models import Delivery
from ..models.sql import upsert_insert
from ..police import DeliveryError
from .backoff import RetryPolicy

KEY_NAMESPACE = uuid.UUID("6f1c2a52-4d0e-4a4b-9a57-7f3c1b0e5d21")
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def idempotency_key(enterprise_id: str, kind: str, sha256: str) -> str:
    """Same enterprise, kind and bytes → same key, in every replica and after every re-confirmation."""
    return str(uuid.uuid5(KEY_NAMESPACE, f"{enterprise_id}/{kind}/{sha256}"))


def delivery_event(d: Delivery) -> MediaDeliveryUpdated:
    return MediaDeliveryUpdated(enterprise_id=d.enterprise_id, kind=d.kind, sha256=d.sha256, status=d.status,
                                receipt_id=d.receipt_id, attempts=d.attempts, last_error=d.last_error,
                                updated_at=d.updated_at)


def _touch(d: Delivery, now: datetime) -> None:
    """Advance updated_at strictly, even if this replica's clock is behind the last writer's."""
    previous = _aware(d.updated_at) if d.updated_at else None
    d.updated_at = now if previous is None or now > previous else previous + timedelta(microseconds=1)


async def queue_confirmed_media(uow: UnitOfWork, event: FilingConfirmed) -> int:
    """One pending delivery per changed image; an image already queued (same key) is skipped."""
    changed = set(event.changed_media)
    return sum([await _queue(uow, event, ref) for ref in event.media if ref.kind in changed])


async def _queue(uow: UnitOfWork, event: FilingConfirmed, ref: MediaRef) -> bool:
    now = utcnow()
    d = Delivery(id=str(uuid.uuid4()), idempotency_key=idempotency_key(event.enterprise_id, ref.kind, ref.sha256),
                 enterprise_id=event.enterprise_id, uscc=event.uscc or event.business_licence_no,
                 enterprise_name=event.enterprise_name, kind=ref.kind, sha256=ref.sha256, blob_key=ref.key,
                 content_type=ref.content_type, filing_version=event.version, status=PENDING, attempts=0,
                 next_attempt_at=now, created_at=now, updated_at=now)
    values = {c.key: getattr(d, c.key) for c in Delivery.__table__.columns}
    stmt = upsert_insert(uow.db, Delivery).values(values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    if (await uow.session.execute(stmt)).rowcount != 1:
        return False
    uow.emit(delivery_event(d))
    return True


def mark_delivered(d: Delivery, receipt_id: str) -> None:
    now = utcnow()
    d.status, d.receipt_id, d.delivered_at, d.claim_id = DELIVERED, receipt_id, now, None
    _touch(d, now)


def mark_attempt_failed(d: Delivery, error: DeliveryError, policy: RetryPolicy) -> None:
    """Retry later while the error is transient and the budget lasts; else give up."""
    now = utcnow()
    d.last_error, d.claim_id = str(error)[:1000], None
    if error.retryable and d.attempts < policy.max_attempts:
        d.next_attempt_at = now + timedelta(seconds=policy.delay(d.attempts, error.retry_after))
    else:
        d.status = FAILED
    _touch(d, now)


def redrive(d: Delivery) -> None:
    """A fresh retry budget; the last error stays visible until the next attempt replaces it."""
    now = utcnow()
    d.status, d.attempts, d.next_attempt_at, d.claim_id = PENDING, 0, now, None
    _touch(d, now)


async def redrive_failed(uow: UnitOfWork, enterprise_id: str | None = None) -> int:
    """Re-queue every failed delivery (of one enterprise, if given); the caller commits."""
    query = select(Delivery).where(Delivery.status == FAILED).with_for_update()
    if enterprise_id:
        query = query.where(Delivery.enterprise_id == enterprise_id)
    rows = (await uow.session.scalars(query)).all()
    for d in rows:
        redrive(d)
        uow.emit(delivery_event(d))
    return len(rows)
