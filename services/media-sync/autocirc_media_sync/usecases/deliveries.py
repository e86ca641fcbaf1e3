"""A delivery's life: queued once per filing record (confirmation, change confirmation, revocation) and
once per image a confirmation changes, attempted, delivered or failed (or superseded by a newer image of
its kind before it got through), re-driven by an admin.

Every state change of an image's delivery emits :class:`MediaDeliveryUpdated` in the same transaction
(filing shows it on the image). Consumers keep the newest by ``updated_at``, so it only ever moves
forward for one delivery. Records are the police's business only: they announce nothing.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta

from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked, MediaRef
from autocirc_shared.events.media_sync import MediaDeliveryUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from ..domain.backoff import RetryPolicy
from ..models import Delivery, MediaHead
from ..models.sql import upsert_insert
from ..police import DeliveryError

KEY_NAMESPACE = uuid.UUID("6f1c2a52-4d0e-4a4b-9a57-7f3c1b0e5d21")
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
RECORD = "filing_record"  # the kind of a filing record's delivery (images have their MediaKind)
IMAGE_KINDS = ("licence_original", "licence_copy", "seal")


def utcnow() -> datetime:
    return datetime.now(UTC)


def idempotency_key(enterprise_id: str, kind: str, sha256: str, version: int | None = None) -> str:
    """Same enterprise, kind and bytes → same key, in every replica and for every repeat of a confirmation.

    An image put back after another replaced it (A → B → A) must reach the police again as a new
    document: under its old key they would only answer the old receipt and keep B as the current one.
    So the first delivery of an image is keyed by enterprise, kind and bytes (as ever), and a later
    one of the same bytes also by the filing version that put it back.
    """
    name = f"{enterprise_id}/{kind}/{sha256}" + ("" if version is None else f"/v{version}")
    return str(uuid.uuid5(KEY_NAMESPACE, name))


def delivery_event(d: Delivery) -> MediaDeliveryUpdated:
    return MediaDeliveryUpdated(enterprise_id=d.enterprise_id, kind=d.kind, sha256=d.sha256, status=d.status,
                                receipt_id=d.receipt_id, attempts=d.attempts, last_error=d.last_error,
                                updated_at=d.updated_at)


def announce(uow: UnitOfWork, d: Delivery) -> None:
    if d.kind != RECORD:
        uow.emit(delivery_event(d))


def _touch(d: Delivery, now: datetime) -> None:
    """Advance updated_at strictly, even if this replica's clock is behind the last writer's."""
    previous = as_utc(d.updated_at) if d.updated_at else None
    d.updated_at = now if previous is None or now > previous else previous + timedelta(microseconds=1)


async def queue_confirmed_media(uow: UnitOfWork, event: FilingConfirmed) -> int:
    """The filing record (``confirmed``, or ``changed`` for a change), then one pending delivery per image
    that differs from what the newest confirmation applied so far named for its kind (on the first
    confirmation: every image). A repeated confirmation, or an older
    one arriving late, queues nothing; an image listed as changed but already sent gets its delivery's
    state announced again, so filing (which set it back to pending) shows how it went."""
    changed = set(event.changed_media)
    status = "changed" if event.is_change else "confirmed"
    record = await queue_record(uow, event, police_record_body(event, status, event.confirmed_at))
    return int(record) + sum([await _queue(uow, event, ref, ref.kind in changed) for ref in event.media])


async def queue_revocation(uow: UnitOfWork, event: FilingRevoked) -> bool:
    """A ``revoked`` record; image heads move to its version, so a confirmation older than the
    revocation that arrives late (a re-driven dead letter) sends the police nothing after it."""
    for kind in IMAGE_KINDS:
        head = await _head(uow, event.enterprise_id, kind)
        head.filing_version = max(head.filing_version, event.version)
    body = police_record_body(event, "revoked", event.confirmed_at)
    body.update(revoked_at=event.revoked_at.isoformat(), reason=event.reason)
    return await queue_record(uow, event, body)


def police_record_body(event: FilingConfirmed | FilingRevoked, status: str, confirmed_at: datetime | None) -> dict:
    """The filing record as the police receive it (API.md "Police data feed")."""
    return {"uscc": event.uscc or event.business_licence_no, "name": event.enterprise_name,
            "types": list(event.types), "residence": event.record.residence,
            "business_address": event.record.business_address,
            "legal_representative": event.record.legal_representative, "status": status,
            "filing_version": event.version, "confirmed_at": confirmed_at.isoformat() if confirmed_at else None,
            "authority_region": event.record.authority_region or event.region_code,
            "images": [{"kind": m.kind, "sha256": m.sha256} for m in event.media]}


async def queue_record(uow: UnitOfWork, event: FilingConfirmed | FilingRevoked, body: dict) -> bool:
    """One delivery per filing version; one older than a record already queued is dropped (it would
    overtake it at the police). The worker sends it before the version's images."""
    head = await _head(uow, event.enterprise_id, RECORD)
    if event.version <= head.filing_version:
        return False
    digest = hashlib.sha256(canonical_json(body)).hexdigest()
    head.sha256, head.filing_version, head.updated_at = digest, event.version, utcnow()
    return await _insert(uow, Delivery(
        id=str(uuid.uuid4()), idempotency_key=idempotency_key(event.enterprise_id, RECORD, "", event.version),
        enterprise_id=event.enterprise_id, uscc=body["uscc"], enterprise_name=event.enterprise_name, kind=RECORD,
        sha256=digest, blob_key="", content_type="application/json", payload=body,
        filing_version=event.version, status=PENDING, attempts=0))


def canonical_json(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


async def _queue(uow: UnitOfWork, event: FilingConfirmed, ref: MediaRef, listed: bool) -> bool:
    head = await _head(uow, event.enterprise_id, ref.kind)
    if event.version <= head.filing_version:  # a repeat, or superseded by a newer confirmation already applied
        return False
    previous, now = head.sha256, utcnow()
    head.sha256, head.filing_version, head.updated_at = ref.sha256, event.version, now
    if previous == ref.sha256:  # unchanged: the police have it already, or it is on its way
        if listed and (sent := await _latest(uow, event.enterprise_id, ref.kind)) and sent.sha256 == ref.sha256:
            announce(uow, sent)
        return False
    key = idempotency_key(event.enterprise_id, ref.kind, ref.sha256)
    if await uow.session.scalar(select(Delivery.id).where(Delivery.idempotency_key == key)):
        key = idempotency_key(event.enterprise_id, ref.kind, ref.sha256, event.version)  # put back (A → B → A)
    for older in await _undelivered(uow, event.enterprise_id, ref.kind):
        supersede(older, event.version, now)
        announce(uow, older)
        now = max(now, as_utc(older.updated_at) + timedelta(microseconds=1))  # the new image's news is newest
    return await _insert(uow, Delivery(
        id=str(uuid.uuid4()), idempotency_key=key, enterprise_id=event.enterprise_id,
        uscc=event.uscc or event.business_licence_no, enterprise_name=event.enterprise_name, kind=ref.kind,
        sha256=ref.sha256, blob_key=ref.key, content_type=ref.content_type, filing_version=event.version,
        status=PENDING, attempts=0), now)


async def _insert(uow: UnitOfWork, d: Delivery, now: datetime | None = None) -> bool:
    """Insert once per idempotency key (a repeated event inserts nothing) and announce it."""
    d.next_attempt_at = d.created_at = d.updated_at = now or utcnow()
    values = {c.key: getattr(d, c.key) for c in Delivery.__table__.columns}
    stmt = upsert_insert(uow.db, Delivery).values(values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    if (await uow.session.execute(stmt)).rowcount != 1:
        return False
    announce(uow, d)
    return True


async def _head(uow: UnitOfWork, enterprise_id: str, kind: str) -> MediaHead:
    """The kind's head, locked; a missing one starts from the newest delivery (rows from before heads existed)."""
    lock = True if uow.db.dialect == "postgresql" else None
    head = await uow.session.get(MediaHead, (enterprise_id, kind), with_for_update=lock)
    if head is not None:
        return head
    latest = await _latest(uow, enterprise_id, kind)
    stmt = upsert_insert(uow.db, MediaHead).values(
        enterprise_id=enterprise_id, kind=kind, sha256=latest.sha256 if latest else None,
        filing_version=latest.filing_version if latest else 0, updated_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["enterprise_id", "kind"])
    await uow.session.execute(stmt)
    return await uow.session.get(MediaHead, (enterprise_id, kind), with_for_update=lock)


async def _latest(uow: UnitOfWork, enterprise_id: str, kind: str) -> Delivery | None:
    return await uow.session.scalar(
        select(Delivery).where(Delivery.enterprise_id == enterprise_id, Delivery.kind == kind)
        .order_by(Delivery.filing_version.desc(), Delivery.created_at.desc()).limit(1))


async def _undelivered(uow: UnitOfWork, enterprise_id: str, kind: str) -> list[Delivery]:
    return list((await uow.session.scalars(
        select(Delivery).where(Delivery.enterprise_id == enterprise_id, Delivery.kind == kind,
                               Delivery.status == PENDING).with_for_update())).all())


def supersede(d: Delivery, version: int, now: datetime) -> None:
    """A newer image of the kind is queued: this one must not reach the police after it. An attempt in
    flight keeps its claim, so the newer one waits for it (see the worker's claim)."""
    d.status, d.last_error = FAILED, f"已被备案第{version}版的影像取代，不再投递"
    _touch(d, now)


def superseded_clause():
    """SQL: a newer confirmation queued another image of the delivery's kind (re-sending this one would
    make an outdated image the police's current one)."""
    newer = aliased(Delivery)
    return exists().where(newer.enterprise_id == Delivery.enterprise_id, newer.kind == Delivery.kind,
                          newer.filing_version > Delivery.filing_version)


async def is_superseded(uow: UnitOfWork, d: Delivery) -> bool:
    return bool(await uow.session.scalar(select(superseded_clause()).where(Delivery.id == d.id)))


def mark_delivered(d: Delivery, receipt_id: str) -> None:
    """Delivered: the errors of earlier attempts are over (``attempts`` still counts them)."""
    now = utcnow()
    d.status, d.receipt_id, d.delivered_at, d.claim_id, d.last_error = DELIVERED, receipt_id, now, None, None
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
    """Re-queue every failed delivery (of one enterprise, if given) not superseded by a newer image of
    its kind; the caller commits."""
    query = select(Delivery).where(Delivery.status == FAILED, ~superseded_clause()).with_for_update(of=Delivery)
    if enterprise_id:
        query = query.where(Delivery.enterprise_id == enterprise_id)
    rows = (await uow.session.scalars(query)).all()
    for d in rows:
        redrive(d)
        announce(uow, d)
    return len(rows)


async def delivery_page(uow: UnitOfWork, status: str | None, enterprise_id: str | None, params: PageParams
                        ) -> tuple[list[Delivery], int]:
    """One page of deliveries (of a status, of one enterprise, if given), newest first, and the total."""
    query = select(Delivery).order_by(Delivery.created_at.desc(), Delivery.id)
    if status:
        query = query.where(Delivery.status == status)
    if enterprise_id:
        query = query.where(Delivery.enterprise_id == enterprise_id)
    return await paginate(uow.session, query, params)


async def delivery_of(uow: UnitOfWork, delivery_id: str, lock: bool = False) -> Delivery:
    d = await uow.session.get(Delivery, delivery_id, with_for_update=lock)
    if d is None:
        raise not_found("投递记录")
    return d


async def retry_delivery(uow: UnitOfWork, delivery_id: str) -> Delivery:
    """An admin's re-drive of one failed delivery (409 when it has not failed, or a newer image superseded it);
    the caller commits."""
    d = await delivery_of(uow, delivery_id, lock=True)
    if d.status != FAILED:
        raise AppError(409, "delivery.state", "只有投递失败的记录可以重新投递")
    if await is_superseded(uow, d):
        raise AppError(409, "delivery.superseded", "该影像已被更新的备案版本取代，无需重新投递")
    redrive(d)
    announce(uow, d)
    return d
