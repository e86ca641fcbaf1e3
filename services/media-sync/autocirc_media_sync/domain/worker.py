"""The delivery worker: claims due deliveries, calls the police, records the outcome.

Safe with several replicas: a claim is a short transaction that takes due rows with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL), counts the attempt and hides the rows for a lease.
No transaction stays open during the police call, so a hanging endpoint holds no locks or
connections; each call is bounded by a timeout and at most ``concurrency`` run at once. If a
replica dies mid-call, the lease runs out and the row is tried again under the same
idempotency key, which the police side deduplicates. The outcome is written only by the
holder of the current claim.

Deliveries of one enterprise's image kind go out one at a time: a delivery is not claimed while
another of its kind is in flight (one superseded by it, see ``deliveries.supersede``), so the
police always receive the newest image last.
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
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from ..models import Delivery
from ..police import DeliveryError, PermanentDeliveryError, PoliceClient, PoliceDocument, TransientDeliveryError
from ..settings import MediaSyncSettings
from .backoff import RetryPolicy
from .deliveries import PENDING, delivery_event, mark_attempt_failed, mark_delivered, utcnow

log = logging.getLogger(__name__)


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
            sibling = aliased(Delivery)
            in_flight = exists().where(sibling.enterprise_id == Delivery.enterprise_id, sibling.kind == Delivery.kind,
                                       sibling.id != Delivery.id, sibling.claim_id.is_not(None),
                                       sibling.next_attempt_at > now)
            query = (select(Delivery).where(Delivery.status == PENDING, Delivery.next_attempt_at <= now, ~in_flight)
                     .order_by(Delivery.next_attempt_at).limit(limit))
            if uow.db.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True, of=Delivery)
            claimed = []
            for d in (await uow.session.scalars(query)).all():
                if d.attempts >= self.policy.max_attempts:  # earlier attempts never reported back (crashes)
                    mark_attempt_failed(d, PermanentDeliveryError("投递多次中断，已停止重试"), self.policy)
                    uow.emit(delivery_event(d))
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

    async def _document(self, d: Delivery) -> PoliceDocument:
        try:
            image = await self.blobs.get(d.blob_key)
        except BlobNotFound:
            raise PermanentDeliveryError("影像文件不存在") from None
        if hashlib.sha256(image).hexdigest() != d.sha256:
            raise PermanentDeliveryError("影像文件校验值不符")
        return PoliceDocument(idempotency_key=d.idempotency_key, uscc=d.uscc, name=d.enterprise_name, kind=d.kind,
                              sha256=d.sha256, content_type=d.content_type, image=image)

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
            uow.emit(delivery_event(d))
            await uow.commit()
