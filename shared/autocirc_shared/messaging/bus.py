"""The bus interface both adapters implement, and the delivery rules they share.

Semantics (both adapters): publish returns only once every message is safely with the
bus (RabbitMQ: publisher-confirmed); each service has one queue bound to the routing
keys it subscribes to; a failing handler is retried with exponential back-off and jitter
up to ``max_attempts`` deliveries, then the message goes to that service's dead-letter
queue with the reason. Delivery is at least once: consumers dedupe through their inbox.
"""
from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .envelope import Envelope, StoredEnvelope

Handler = Callable[[Envelope], Awaitable[None]]


class BatchHandler(Protocol):
    """A handler that can apply several messages in one transaction (an inbox consumer, inbox.py)."""

    max_batch: int

    async def __call__(self, envelope: Envelope) -> None: ...

    def batchable(self, env: Envelope) -> bool: ...

    async def apply_batch(self, envelopes: Sequence[Envelope]) -> None: ...


def batch_limit(handler: Handler) -> int:
    """How many messages ``handler`` may be given at once: a consumer that can apply several in one
    transaction has ``max_batch > 1``, ``batchable(env)`` and ``apply_batch(envs)`` (see inbox.py)."""
    return max(1, int(getattr(handler, "max_batch", 1)))


class BusUnavailable(RuntimeError):
    """The bus could not take (confirm) the messages; the caller keeps them and retries."""


@dataclass
class DeadLetter:
    service: str
    envelope: Envelope | None
    raw: bytes
    reason: str
    attempts: int


@dataclass(frozen=True)
class QueueDepth:
    ready: int
    dead_letters: int


def backoff_seconds(attempt: int, base: float, cap: float = 30.0) -> float:
    """Full-jitter exponential back-off: uniform(0, min(cap, base * 2**(attempt-1)))."""
    return random.uniform(base / 2, min(cap, base * 2 ** max(0, attempt - 1)))


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: ``*`` is exactly one word, ``#`` zero or more."""
    pat, key = pattern.split("."), routing_key.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(pat):
            return j == len(key)
        if pat[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(key) + 1))
        return j < len(key) and pat[i] in ("*", key[j]) and match(i + 1, j + 1)

    return match(0, 0)


class MessageBus(ABC):
    max_attempts: int

    @abstractmethod
    async def start(self) -> None:
        """Connect (retrying until the broker answers) and declare what was subscribed."""

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    def is_connected(self) -> bool: ...

    @abstractmethod
    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        """Hand over messages; returns when all are confirmed, else raises BusUnavailable."""

    async def publish_stored(self, stored: Sequence[StoredEnvelope]) -> None:
        """:meth:`publish` of envelopes as the outbox stored them; a bus that sends bytes sends their text as it is."""
        await self.publish([envelope.decoded() for envelope in stored])

    @abstractmethod
    async def subscribe(self, service: str, patterns: Sequence[str], handler: Handler) -> None:
        """Consume the service's queue (competing with its other replicas)."""

    @abstractmethod
    async def dead_letters(self, service: str, limit: int = 100) -> list[DeadLetter]:
        """Look at (without removing) the service's dead letters."""

    @abstractmethod
    async def redrive(self, service: str, limit: int | None = None) -> int:
        """Move dead letters back onto the service's queue; returns how many."""

    @abstractmethod
    async def queue_depth(self, service: str) -> QueueDepth:
        """How many messages wait in the service's queue and in its dead-letter queue."""
