"""The delivery worker: claims due deliveries, calls the police, records the outcome.

Safe with several replicas: a claim is a short transaction that takes due rows with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL), counts the attempt and hides the rows for a lease.
No transaction stays open during the police call, so a hanging endpoint holds no locks or
connections; each call is bounded by a timeout and at most ``concurrency`` run at once. If a
replica dies mid-call, the lease runs out and the row is tried again under the same
idempotency key, which the police side deduplicates. The outcome is written only by the
holder of the current claim.

Deliveries of one enterprise go out in order (see ``_waits_for_sibling``): a version's record before
its images, a record after everything of older versions, and one image of a kind at a time (one
superseded by it may still be in flight, see ``deliveries.supersede``): the police never receive an
older version after a newer one, and always the newest image of a kind last.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from autocirc_shared.blobs import BlobNotFound, BlobStore
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from ..domain.backoff import RetryPolicy
from ..models import Delivery
from ..police import (
    DeliveryError,
    PermanentDeliveryError,
    PoliceClient,
    PoliceDocument,
    PoliceFilingRecord,
    PoliceMessage,
    TransientDeliveryError,
)
from ..settings import MediaSyncSettings
from .deliveries import PENDING, RECORD, announce, mark_attempt_failed, mark_delivered, utcnow

log = logging.getLogger(__name__)


def _waits_for_sibling(now):
    """SQL: another delivery of the enterprise must reach the police first, while it is pending or in flight:
    a record of an older version, or of this version if this is an image (images follow their record);
    anything of an older version if this is a record (a record follows what came before it); and
    another delivery of the same kind in flight (a superseded image)."""
    sibling = aliased(Delivery)
    older, same = sibling.filing_version < Delivery.filing_version, sibling.filing_version == Delivery.filing_version
    earlier = or_(and_(sibling.kind == RECORD, or_(older, and_(same, Delivery.kind != RECORD))),
                  and_(Delivery.kind == RECORD, older))
    in_flight = and_(sibling.claim_id.is_not(None), sibling.next_attempt_at > now)
    return exists().where(sibling.enterprise_id == Delivery.enterprise_id, sibling.id != Delivery.id,
                          or_(and_(earlier, or_(sibling.status == PENDING, in_flight)),
                              and_(sibling.kind == Delivery.kind, in_flight)))


class DeliveryWorker:
    def __init__(self, uow: Callable[[], UnitOfWork], police: PoliceClient, blobs: BlobStore,
                 settings: MediaSyncSettings) -> None:
        self.uow = uow
        self.police = police
        self.blobs = blobs
        self.policy = RetryPolicy(settings.media_sync_max_attempts, settings.media_sync_retry_base_seconds,
                                  settings.media_sync_retry_cap_seconds)
        self.concurrency = settings.media_sync_concurrency
        self.timeout = settings.media_sync_timeout_seconds
        self.lease = timedelta(seconds=settings.lease_seconds)
        self.poll_seconds = settings.media_sync_poll_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        inflight: set[asyncio.Task] = set()
        try:
            while True:
                self._wake.clear()
                free = self.concurrency - len(inflight)
                if free > 0:
                    try:
                        claimed = await self.claim(free)
                    except Exception as exc:  # database away: try again after the poll interval
                        log.warning("delivery worker: claiming failed: %s", exc)
                        claimed = []
                    for d in claimed:
                        task = asyncio.create_task(self.attempt(d), name=f"delivery-{d.id}")
                        inflight.add(task)
                        task.add_done_callback(inflight.discard)
                await self._idle(inflight)
        finally:
            for task in inflight:
                task.cancel()
            await asyncio.gather(*inflight, return_exceptions=True)

    async def _idle(self, inflight: set[asyncio.Task]) -> None:
        """Until woken, an attempt finishes (a slot is free) or the poll interval passes."""
        waiter = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({waiter, *inflight}, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()

    async def claim(self, limit: int) -> list[Delivery]:
        async with self.uow() as uow:
            now = utcnow()
            query = (select(Delivery).where(Delivery.status == PENDING, Delivery.next_attempt_at <= now,
                                            ~_waits_for_sibling(now))
                     .order_by(Delivery.next_attempt_at).limit(limit))
            if uow.db.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True, of=Delivery)
            claimed = []
            for d in (await uow.session.scalars(query)).all():
                if d.attempts >= self.policy.max_attempts:  # earlier attempts never reported back (crashes)
                    mark_attempt_failed(d, PermanentDeliveryError("投递多次中断，已停止重试"), self.policy)
                    announce(uow, d)
                    continue
                d.attempts += 1
                d.claim_id = str(uuid.uuid4())
                d.next_attempt_at = now + self.lease
                claimed.append(d)
            await uow.commit()
            return claimed

    async def attempt(self, d: Delivery) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                outcome: str | DeliveryError = await self.police.deliver(await self._document(d))
        except TimeoutError:
            outcome = TransientDeliveryError("公安接口响应超时")
        except DeliveryError as exc:
            outcome = exc
        except Exception as exc:  # blob store away and the like: worth another try
            log.exception("delivery %s: unexpected error", d.id)
            outcome = TransientDeliveryError(f"投递出错：{exc.__class__.__name__}")
        try:
            await self.record(d.id, d.claim_id, outcome)
        except Exception:  # the lease runs out and the attempt is repeated under the same key
            log.exception("delivery %s: recording the outcome failed", d.id)

    async def _document(self, d: Delivery) -> PoliceMessage:
        if d.kind == RECORD:
            return PoliceFilingRecord(idempotency_key=d.idempotency_key, body=d.payload or {})
        try:
            image = await self.blobs.get(d.blob_key)
        except BlobNotFound:
            raise PermanentDeliveryError("影像文件不存在") from None
        if hashlib.sha256(image).hexdigest() != d.sha256:
            raise PermanentDeliveryError("影像文件校验值不符")
        return PoliceDocument(idempotency_key=d.idempotency_key, uscc=d.uscc, name=d.enterprise_name, kind=d.kind,
                              sha256=d.sha256, content_type=d.content_type, image=image,
                              filing_version=d.filing_version)

    async def record(self, delivery_id: str, claim_id: str | None, outcome: str | DeliveryError) -> None:
        async with self.uow() as uow:
            d = await uow.session.get(Delivery, delivery_id, with_for_update=True)
            if d is None or d.claim_id != claim_id:
                log.info("delivery %s: claim expired, outcome dropped", delivery_id)
                return
            if d.status != PENDING:  # superseded while in flight: it stays so; the newer image may go now
                d.claim_id = None
                if not isinstance(outcome, DeliveryError):
                    d.receipt_id, d.delivered_at = outcome, utcnow()
                await uow.commit()
                return
            if isinstance(outcome, DeliveryError):
                mark_attempt_failed(d, outcome, self.policy)
                log.info("delivery %s attempt %d failed: %s", d.id, d.attempts, outcome)
            else:
                mark_delivered(d, outcome)
            announce(uow, d)
            await uow.commit()
