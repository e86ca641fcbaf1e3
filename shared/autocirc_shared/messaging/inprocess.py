"""In-process bus for the embedded (one process) mode: same rules as RabbitMQ, in memory,
and — given a journal file — as durable as a broker: a message is written to the journal
before ``publish`` returns (the relay then marks its outbox row sent) and removed only once
its handler has committed, so a crash or restart between the two delivers it again (the
consumers' inboxes make that harmless); dead letters survive restarts too."""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .bus import (
    BatchHandler,
    BusUnavailable,
    DeadLetter,
    Handler,
    MessageBus,
    QueueDepth,
    backoff_seconds,
    batch_limit,
    topic_matches,
)
from .envelope import Envelope
from .journal import Journal

log = logging.getLogger(__name__)


@dataclass
class _Queue:
    service: str
    patterns: list[str]
    handler: Handler
    queue: asyncio.Queue[_Delivery] = field(default_factory=asyncio.Queue)
    workers: list[asyncio.Task[None]] = field(default_factory=list)


@dataclass
class _Delivery:
    envelope: Envelope
    attempt: int
    journal_id: int | None = None


class InProcessBus(MessageBus):
    def __init__(self, max_attempts: int = 5, retry_base_seconds: float = 0.2, concurrency: int = 4,
                 journal: Path | None = None) -> None:
        self.max_attempts = max_attempts
        self.retry_base = retry_base_seconds
        self.concurrency = concurrency
        self._queues: dict[str, _Queue] = {}
        self._dead: dict[str, list[DeadLetter]] = defaultdict(list)
        self._timers: set[asyncio.Task[None]] = set()
        self._running = False
        self._journal_path = journal
        self._journal: Journal | None = None
        self.accepted = 0  # deliveries routed to a queue so far (tests: whether anything moved meanwhile)

    async def start(self) -> None:
        if self._journal_path is not None and self._journal is None:
            self._journal = Journal(self._journal_path)
            for service, q in self._queues.items():
                for journal_id, env, attempt in self._journal.pending(service):
                    q.queue.put_nowait(_Delivery(env, attempt, journal_id))
        self._running = True
        for q in self._queues.values():
            self._spawn(q)

    async def stop(self) -> None:
        self._running = False
        tasks = [t for q in self._queues.values() for t in q.workers] + list(self._timers)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for q in self._queues.values():
            q.workers.clear()
        if self._journal is not None:
            for q in self._queues.values():  # what is left is in the journal for the next start
                while not q.queue.empty():
                    q.queue.get_nowait()
                    q.queue.task_done()
            self._journal.close()
            self._journal = None

    def is_connected(self) -> bool:
        return self._running

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        if not self._running:
            raise BusUnavailable("in-process bus is stopped")
        routed = [(q, env.model_copy(deep=True)) for env in envelopes for q in self._queues.values()
                  if any(topic_matches(p, env.name) for p in q.patterns)]  # each queue its own copy
        ids: Sequence[int | None] = [None] * len(routed)
        if self._journal is not None:
            try:
                ids = self._journal.add([(q.service, env) for q, env in routed])
            except Exception as exc:  # the disk refused: the relay keeps its rows and retries
                raise BusUnavailable(f"bus journal: {exc}") from exc
        for (q, env), journal_id in zip(routed, ids):
            q.queue.put_nowait(_Delivery(env, 1, journal_id))
        self.accepted += len(routed)

    async def subscribe(self, service: str, patterns: Sequence[str], handler: Handler) -> None:
        if service in self._queues:
            raise ValueError(f"{service} already subscribed")
        q = _Queue(service, list(patterns), handler)
        self._queues[service] = q
        if self._running:
            self._spawn(q)

    def _spawn(self, q: _Queue) -> None:
        if not q.workers:
            q.workers = [asyncio.create_task(self._work(q)) for _ in range(self.concurrency)]

    async def _work(self, q: _Queue) -> None:
        limit = batch_limit(q.handler)
        while True:
            deliveries: list[_Delivery] = [await q.queue.get()]
            while len(deliveries) < limit and not q.queue.empty():
                deliveries.append(q.queue.get_nowait())
            taken = len(deliveries)
            try:
                if limit > 1:
                    deliveries = await self._apply_batch(q, deliveries)
                for delivery in deliveries:
                    await self._deliver(q, delivery)
            finally:  # handled (or handed to a retry timer): what idle() waits for
                for _ in range(taken):
                    q.queue.task_done()

    async def _apply_batch(self, q: _Queue, deliveries: list[_Delivery]) -> list[_Delivery]:
        """Apply the batchable deliveries in one go; what is left (all of them if that failed) goes one by one."""
        handler = cast(BatchHandler, q.handler)  # batch_limit > 1: it has batchable and apply_batch
        batch = [d for d in deliveries if handler.batchable(d.envelope)]
        if len(batch) < 2:
            return deliveries
        try:
            await handler.apply_batch([d.envelope for d in batch])
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("batch of %d for %s failed (%r); applying them one by one", len(batch), q.service, exc)
            return deliveries
        ids = [d.journal_id for d in batch if d.journal_id is not None]
        if self._journal is not None and ids:
            try:
                self._journal.done_many(ids)
            except Exception:  # delivered again after a restart; the inbox skips them
                log.exception("bus journal: could not record %d deliveries", len(ids))
        done = {id(d) for d in batch}
        return [d for d in deliveries if id(d) not in done]

    async def _deliver(self, q: _Queue, delivery: _Delivery) -> None:
        env, attempt = delivery.envelope, delivery.attempt
        try:
            await q.handler(env)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # retried, then dead-lettered
            if attempt >= self.max_attempts:
                log.error("dead-lettering %s for %s after %d attempts: %s", env.name, q.service, attempt, exc)
                self._dead_letter(q.service, delivery, repr(exc))
            else:
                self._record(Journal.attempted, delivery, attempt + 1)
                self._later(q, _Delivery(env, attempt + 1, delivery.journal_id))
        else:
            self._record(Journal.done, delivery)

    def _record(self, write: Callable[..., None], delivery: _Delivery, *args: Any) -> None:
        """A journal write after handling; if the disk refuses, the message is simply delivered again."""
        if self._journal is None or delivery.journal_id is None:
            return
        try:
            write(self._journal, delivery.journal_id, *args)
        except Exception:
            log.exception("bus journal: could not record delivery %s", delivery.journal_id)

    def _dead_letter(self, service: str, delivery: _Delivery, reason: str) -> None:
        env = delivery.envelope
        if self._journal is not None and delivery.journal_id is not None:
            self._record(Journal.dead, delivery, reason, delivery.attempt)
            return
        self._dead[service].append(DeadLetter(service, env, env.model_dump_json().encode(), reason, delivery.attempt))

    def _later(self, q: _Queue, delivery: _Delivery) -> None:
        async def requeue() -> None:
            await asyncio.sleep(backoff_seconds(delivery.attempt - 1, self.retry_base))
            q.queue.put_nowait(delivery)

        task = asyncio.create_task(requeue())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def dead_letters(self, service: str, limit: int = 100) -> list[DeadLetter]:
        if self._journal is not None:
            return [DeadLetter(service, env, env.model_dump_json().encode(), reason, attempts)
                    for _, env, reason, attempts in self._journal.dead_letters(service, limit)]
        return list(self._dead[service][:limit])

    async def redrive(self, service: str, limit: int | None = None) -> int:
        if self._journal is not None:
            revived = self._journal.revive(service, limit)
            for journal_id, env in revived:
                self._queues[service].queue.put_nowait(_Delivery(env, 1, journal_id))
            return len(revived)
        dead = self._dead[service]
        take = dead[: limit or len(dead)]
        del dead[: len(take)]
        for d in take:
            if d.envelope is not None:
                self._queues[service].queue.put_nowait(_Delivery(d.envelope, 1))
        return len(take)

    async def queue_depth(self, service: str) -> QueueDepth:
        q = self._queues.get(service)
        dead = self._journal.dead_count(service) if self._journal is not None else len(self._dead[service])
        return QueueDepth(q.queue.qsize() if q else 0, dead)

    async def idle(self) -> None:
        """Wait until every message accepted so far has been handled, retries included (tests). No polling:
        it awaits each queue's ``join()`` (workers mark every delivery done) and the pending retry timers."""
        while True:
            for q in list(self._queues.values()):
                await q.queue.join()
            if not self._timers:
                # join() returned, but a retry may have re-queued since: asyncio.Queue keeps that count privately
                if all(q.queue._unfinished_tasks == 0 for q in self._queues.values()):  # type: ignore[attr-defined]
                    return
                continue
            await asyncio.gather(*list(self._timers), return_exceptions=True)
