"""RabbitMQ adapter (aio-pika): durable topic exchange, one quorum queue per service.

Queue arguments follow what was measured on RabbitMQ 3.10 (see RELIABILITY.md):
quorum queues have no default delivery limit, so one is set as a backstop; dead-lettering
uses ``at-least-once`` (which needs ``x-overflow=reject-publish``) so no message is lost on
its way to the dead-letter queue. The consumer itself dead-letters after ``max_attempts``
with the error as a header, so ops see why; the broker limit only catches crash loops.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, cast

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection
from pydantic import ValidationError

from .bus import BatchHandler, BusUnavailable, DeadLetter, Handler, MessageBus, QueueDepth, backoff_seconds, batch_limit
from .envelope import Envelope, EnvelopeHead, StoredEnvelope
from .topology import SUBSCRIBERS

log = logging.getLogger(__name__)


class RabbitBus(MessageBus):
    def __init__(self, url: str, namespace: str = "autocirc", max_attempts: int = 5,
                 retry_base_seconds: float = 0.2, prefetch: int = 16, publish_timeout: float = 10.0,
                 topology: dict[str, list[str]] | None = None) -> None:
        self.url = url
        self.ns = namespace
        self.max_attempts = max_attempts
        self.retry_base = retry_base_seconds
        self.prefetch = prefetch
        self.publish_timeout = publish_timeout
        self.topology = SUBSCRIBERS if topology is None else topology
        self._conn: AbstractRobustConnection | None = None
        self._pub_channel: aio_pika.abc.AbstractChannel | None = None
        self._exchange: aio_pika.abc.AbstractExchange | None = None
        self._dlx: aio_pika.abc.AbstractExchange | None = None
        self._subs: list[tuple[str, list[str], Handler]] = []
        self._consumer_channels: list[aio_pika.abc.AbstractChannel] = []
        self._batch_workers: list[asyncio.Task[None]] = []
        self._handling: set[asyncio.Task[None]] = set()
        self._connected = asyncio.Event()

    # names
    @property
    def exchange_name(self) -> str:
        return f"{self.ns}.events"

    @property
    def dlx_name(self) -> str:
        return f"{self.ns}.dlx"

    def queue_name(self, service: str) -> str:
        return f"{self.ns}.{service}"

    def dlq_name(self, service: str) -> str:
        return f"{self.ns}.{service}.dlq"

    # lifecycle
    async def start(self) -> None:
        delay = 0.5
        while self._conn is None:
            try:
                self._conn = await aio_pika.connect_robust(self.url, timeout=10, reconnect_interval=1)
            except Exception as exc:
                log.warning("RabbitMQ not reachable (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)
        # A robust connection reconnects by itself and is never "closed" meanwhile: follow its state,
        # so readiness says no and publishing fails fast (the outbox keeps the rows) while it is away.
        self._conn.close_callbacks.add(self._on_connection_lost)
        self._conn.reconnect_callbacks.add(self._on_reconnected)
        self._pub_channel = await self._conn.channel(publisher_confirms=True)
        self._exchange = await self._pub_channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        self._dlx = await self._pub_channel.declare_exchange(
            self.dlx_name, aio_pika.ExchangeType.DIRECT, durable=True)
        await self._declare_topology()
        for service, patterns, handler in self._subs:
            await self._declare_and_consume(service, patterns, handler)
        self._connected.set()

    async def _declare_topology(self) -> None:
        """Every consumer's queue and bindings, so nothing published before it starts is lost."""
        assert self._pub_channel is not None
        for service, patterns in self.topology.items():
            queue, _ = await self._declare_queues(self._pub_channel, service)
            for pattern in patterns:
                await queue.bind(self.exchange_name, routing_key=pattern)

    async def stop(self) -> None:
        self._connected.clear()
        workers, self._batch_workers = self._batch_workers, []
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        conn, self._conn = self._conn, None  # closing on purpose is not a lost connection
        if conn is not None:
            await conn.close()

    def _on_connection_lost(self, *_: object) -> None:
        if self._conn is not None:
            log.warning("RabbitMQ connection lost; reconnecting")
        self._connected.clear()

    def _on_reconnected(self, *_: object) -> None:
        log.info("RabbitMQ connection restored")
        self._connected.set()

    def is_connected(self) -> bool:
        return (self._conn is not None and not self._conn.is_closed and self._conn.connected.is_set()
                and self._connected.is_set())

    async def wait_connected(self, timeout: float | None = None) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    # publishing
    @staticmethod
    def _message(head: Envelope | EnvelopeHead, body: bytes) -> aio_pika.Message:
        """The AMQP message of an envelope (or of a stored one's head) whose JSON is ``body``."""
        return aio_pika.Message(
            body=body,
            message_id=head.message_id,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            type=head.name,
            correlation_id=head.correlation_id,
            app_id=head.producer,
            headers={"x-correlation-id": head.correlation_id, **head.headers},  # + W3C trace context
        )

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        await self._publish([self._message(env, env.model_dump_json().encode()) for env in envelopes])

    async def publish_stored(self, stored: Sequence[StoredEnvelope]) -> None:
        """The stored JSON text is the body as it is: an import's set event of 1,000 items is not decoded and
        encoded again (6 ms and ~10 MB of objects each, 100 of them after a 100,000-row import)."""
        await self._publish([self._message(envelope.head, envelope.text.encode()) for envelope in stored])

    async def _publish(self, messages: list[aio_pika.Message]) -> None:
        """Each message is handed to the connection without awaiting its write, then every confirm is awaited.

        ``Exchange.publish`` waits, under the channel's lock, until each message has been written before the
        next may be queued: a batch then cost three turns of the event loop per message, which under load
        (a busy loop turns every few ms) made publishing 25 messages take 50-180 ms (bench/bench_entry.py).
        Now one turn a message is left: aiormq's frame buffer holds 10 frames, and a publisher waiting for room
        holds the lock. A larger buffer (4,096, set on ``aiormq.Connection``) took 200 messages out in 11 turns,
        yet the freshness at 200 entries/s was no better with it (p99 42-502 ms against 50-214 ms in six runs
        each), so the default stays."""
        if not self.is_connected() or self._exchange is None or self._pub_channel is None:
            raise BusUnavailable("not connected to RabbitMQ")
        try:
            channel = cast(aiormq.Channel, await self._pub_channel.get_underlay_channel())  # its basic_publish has wait=
            name = self._exchange.name
            results = await asyncio.gather(
                *(channel.basic_publish(message.body, exchange=name, routing_key=message.type or "",  # the event's name
                                        properties=message.properties, mandatory=True,
                                        timeout=self.publish_timeout, wait=False)
                  for message in messages),
                return_exceptions=True,
            )
        except Exception as exc:
            raise BusUnavailable(str(exc)) from exc
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            raise BusUnavailable(f"{len(failed)} of {len(messages)} not confirmed: {failed[0]!r}")

    # consuming
    async def subscribe(self, service: str, patterns: Sequence[str], handler: Handler) -> None:
        self._subs.append((service, list(patterns), handler))
        if self.is_connected():
            await self._declare_and_consume(service, list(patterns), handler)

    async def _declare_queues(self, channel: AbstractChannel, service: str) -> tuple[AbstractQueue, AbstractQueue]:
        dlq = await channel.declare_queue(self.dlq_name(service), durable=True,
                                          arguments={"x-queue-type": "quorum"})
        await dlq.bind(self.dlx_name, routing_key=service)
        queue = await channel.declare_queue(
            self.queue_name(service), durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": self.max_attempts + 2,
                "x-dead-letter-exchange": self.dlx_name,
                "x-dead-letter-routing-key": service,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )
        return queue, dlq

    async def _declare_and_consume(self, service: str, patterns: list[str], handler: Handler) -> None:
        assert self._conn is not None
        limit = batch_limit(handler)
        channel = await self._conn.channel()
        # a batching consumer keeps the next batch arriving while it applies one
        await channel.set_qos(prefetch_count=max(self.prefetch, 2 * limit) if limit > 1 else self.prefetch)
        queue, _ = await self._declare_queues(channel, service)
        for pattern in patterns:
            await queue.bind(self.exchange_name, routing_key=pattern)
        self._consumer_channels.append(channel)

        if limit > 1:
            received: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
            batching = cast(BatchHandler, handler)  # batch_limit > 1: it has batchable and apply_batch
            self._batch_workers.append(asyncio.create_task(self._batches(service, batching, received, limit),
                                                           name=f"{service}-batches"))

            async def on_message(msg: AbstractIncomingMessage) -> None:
                received.put_nowait(msg)
        else:
            async def on_message(msg: AbstractIncomingMessage) -> None:
                await self._handle(service, handler, msg)

        await queue.consume(on_message)

    async def _batches(self, service: str, handler: BatchHandler, received: asyncio.Queue[AbstractIncomingMessage],
                       limit: int) -> None:
        """Take what has arrived (up to ``limit``), apply the batchable part in one go, the rest one by one."""
        while True:
            msgs = [await received.get()]
            while len(msgs) < limit and not received.empty():
                msgs.append(received.get_nowait())
            try:
                await self._handle_batch(service, handler, msgs)
            except asyncio.CancelledError:
                raise
            except Exception:  # never stop consuming; unacked messages come back after a reconnect
                log.exception("%s: handling a batch of %d failed", service, len(msgs))

    async def _handle_batch(self, service: str, handler: BatchHandler, msgs: list[AbstractIncomingMessage]) -> None:
        batch: list[tuple[AbstractIncomingMessage, Envelope]] = []
        single: list[AbstractIncomingMessage] = []
        for msg in msgs:
            try:
                env = Envelope.model_validate_json(msg.body)
            except ValidationError:
                single.append(msg)  # dead-lettered by _handle, with its reason
                continue
            if handler.batchable(env):
                batch.append((msg, env))
            else:
                single.append(msg)
        if len(batch) > 1:
            try:
                await handler.apply_batch([env for _, env in batch])
            except Exception as exc:  # a poison among them, a deadlock...: each on its own, with retries
                log.warning("%s: batch of %d failed (%r); applying them one by one", service, len(batch), exc)
            else:
                for msg, _ in batch:
                    await _ack(msg)
                batch = []
        for msg in [msg for msg, _ in batch] + single:  # concurrently, as unbatched deliveries are
            task = asyncio.create_task(self._handle(service, handler, msg))
            self._handling.add(task)
            task.add_done_callback(self._handling.discard)

    async def _handle(self, service: str, handler: Handler, msg: AbstractIncomingMessage) -> None:
        attempt = _count((msg.headers or {}).get("x-delivery-count")) + 1
        try:
            env = Envelope.model_validate_json(msg.body)
        except ValidationError as exc:
            await self._dead_letter(service, msg, f"unreadable envelope: {exc.errors()[0]['msg']}", attempt)
            return
        try:
            await handler(env)
        except Exception as exc:
            if attempt >= self.max_attempts:
                log.error("dead-lettering %s for %s after %d attempts: %r", env.name, service, attempt, exc)
                await self._dead_letter(service, msg, repr(exc), attempt)
            else:
                log.warning("handler for %s failed (attempt %d): %r", env.name, attempt, exc)
                await asyncio.sleep(backoff_seconds(attempt, self.retry_base))
                await msg.nack(requeue=True)
        else:
            await msg.ack()

    async def _dead_letter(self, service: str, msg: AbstractIncomingMessage, reason: str, attempt: int) -> None:
        """Copy to the DLQ with the reason (confirmed), then ack the original."""
        assert self._dlx is not None
        try:
            await self._dlx.publish(
                aio_pika.Message(
                    body=msg.body, message_id=msg.message_id, content_type=msg.content_type,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT, type=msg.type,
                    correlation_id=msg.correlation_id,
                    headers={**(msg.headers or {}), "x-error": reason[:1000], "x-attempts": attempt,
                             "x-original-routing-key": msg.routing_key or ""},
                ),
                routing_key=service, timeout=self.publish_timeout)
        except Exception:
            log.exception("could not dead-letter; leaving it to the broker's delivery limit")
            await msg.nack(requeue=True)
            return
        await msg.ack()

    # operations
    async def dead_letters(self, service: str, limit: int = 100) -> list[DeadLetter]:
        assert self._conn is not None
        out: list[DeadLetter] = []
        async with self._conn.channel() as channel:
            _, dlq = await self._declare_queues(channel, service)
            while len(out) < limit:
                msg = await dlq.get(no_ack=False, fail=False)
                if msg is None:
                    break
                out.append(_dead_letter_of(service, msg))
            # Closing the channel returns the unacked messages to the DLQ.
        return out

    async def redrive(self, service: str, limit: int | None = None) -> int:
        """Republish dead letters straight to the service's own queue (not the exchange, so
        other services do not see them again), each confirmed before it leaves the DLQ."""
        assert self._conn is not None
        moved = 0
        async with self._conn.channel(publisher_confirms=True) as channel:
            _, dlq = await self._declare_queues(channel, service)
            while limit is None or moved < limit:
                msg = await dlq.get(no_ack=False, fail=False)
                if msg is None:
                    break
                headers = {k: v for k, v in (msg.headers or {}).items()
                           if k not in ("x-error", "x-attempts", "x-death", "x-delivery-count",
                                        "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
                                        "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason")}
                await channel.default_exchange.publish(
                    aio_pika.Message(body=msg.body, message_id=msg.message_id, content_type=msg.content_type,
                                     delivery_mode=aio_pika.DeliveryMode.PERSISTENT, type=msg.type,
                                     correlation_id=msg.correlation_id, headers=headers),
                    routing_key=self.queue_name(service), timeout=self.publish_timeout)
                await msg.ack()
                moved += 1
        return moved

    async def queue_depth(self, service: str) -> QueueDepth:
        """Message counts from a declaration on a short-lived channel (declaring with the same
        arguments is idempotent and, unlike a passive one, cannot close the channel)."""
        if not self.is_connected():
            raise BusUnavailable("not connected to RabbitMQ")
        assert self._conn is not None
        async with self._conn.channel() as channel:
            queue, dlq = await self._declare_queues(channel, service)
            # a declare-ok always carries the count (aiormq types it optional)
            return QueueDepth(queue.declaration_result.message_count or 0, dlq.declaration_result.message_count or 0)


async def _ack(msg: AbstractIncomingMessage) -> None:
    """Ack after commit; if the channel is gone meanwhile, the broker redelivers and the inbox skips it."""
    try:
        await msg.ack()
    except Exception as exc:
        log.warning("could not ack %s (%r); it will be redelivered and skipped", msg.message_id, exc)


def _dead_letter_of(service: str, msg: AbstractIncomingMessage) -> DeadLetter:
    headers = msg.headers or {}
    reason = headers.get("x-error") or headers.get("x-first-death-reason") or "unknown"
    try:
        env = Envelope.model_validate_json(msg.body)
    except ValidationError:
        env = None
    return DeadLetter(service, env, msg.body, str(reason), _count(headers.get("x-attempts")))


def _count(value: Any) -> int:
    """A counter header (absent: 0)."""
    return int(value or 0)
