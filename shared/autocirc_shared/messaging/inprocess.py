"""In-process bus for the embedded (one process) mode: same rules as RabbitMQ, in memory."""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .bus import BusUnavailable, DeadLetter, Handler, MessageBus, QueueDepth, backoff_seconds, topic_matches
from .envelope import Envelope

log = logging.getLogger(__name__)


@dataclass
class _Queue:
    service: str
    patterns: list[str]
    handler: Handler
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)
    workers: list[asyncio.Task] = field(default_factory=list)


class InProcessBus(MessageBus):
    def __init__(self, max_attempts: int = 5, retry_base_seconds: float = 0.2, concurrency: int = 4) -> None:
        self.max_attempts = max_attempts
        self.retry_base = retry_base_seconds
        self.concurrency = concurrency
        self._queues: dict[str, _Queue] = {}
        self._dead: dict[str, list[DeadLetter]] = defaultdict(list)
        self._timers: set[asyncio.Task] = set()
        self._running = False

    async def start(self) -> None:
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

    def is_connected(self) -> bool:
        return self._running

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        if not self._running:
            raise BusUnavailable("in-process bus is stopped")
        for env in envelopes:
            for q in self._queues.values():
                if any(topic_matches(p, env.name) for p in q.patterns):
                    # Each queue gets its own copy, as a broker would deliver.
                    q.queue.put_nowait((env.model_copy(deep=True), 1))

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
        while True:
            env, attempt = await q.queue.get()
            try:
                await q.handler(env)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # retried, then dead-lettered
                if attempt >= self.max_attempts:
                    log.error("dead-lettering %s for %s after %d attempts: %s", env.name, q.service, attempt, exc)
                    self._dead[q.service].append(
                        DeadLetter(q.service, env, env.model_dump_json().encode(), repr(exc), attempt))
                else:
                    self._later(q, env, attempt + 1)

    def _later(self, q: _Queue, env: Envelope, attempt: int) -> None:
        async def requeue() -> None:
            await asyncio.sleep(backoff_seconds(attempt - 1, self.retry_base))
            q.queue.put_nowait((env, attempt))

        task = asyncio.create_task(requeue())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def dead_letters(self, service: str, limit: int = 100) -> list[DeadLetter]:
        return list(self._dead[service][:limit])

    async def redrive(self, service: str, limit: int | None = None) -> int:
        dead = self._dead[service]
        take = dead[: limit or len(dead)]
        del dead[: len(take)]
        for d in take:
            if d.envelope is not None:
                self._queues[service].queue.put_nowait((d.envelope, 1))
        return len(take)

    async def queue_depth(self, service: str) -> QueueDepth:
        q = self._queues.get(service)
        return QueueDepth(q.queue.qsize() if q else 0, len(self._dead[service]))

    async def idle(self) -> None:
        """Wait until no message is queued or waiting for a retry (tests)."""
        while any(q.queue.qsize() for q in self._queues.values()) or self._timers:
            await asyncio.sleep(0.01)
