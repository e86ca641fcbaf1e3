"""``python -m autocirc_shared.messaging.redrive <service> [--limit N] [--list]``: a service's dead letters.

Moves the messages of ``<ns>.<service>.dlq`` back onto the service's own queue ``<ns>.<service>``
(not the exchange, so no other service sees them again), each publisher-confirmed before it
leaves the dead-letter queue, and prints how many were moved. ``--list`` only shows them, with
the reason each was dead-lettered (the ``x-error`` header) and how many attempts it had.
Fix the cause first, or the message comes back after its attempts.

Reads the same environment as the services (``AUTOCIRC_AMQP_URL``, ``AUTOCIRC_BUS_NAMESPACE``);
it works beside running replicas, which consume the re-driven messages like any other.
Dead letters exist only on RabbitMQ: the embedded mode's in-process bus keeps its own in memory.
"""
from __future__ import annotations

import argparse
import asyncio
import sys

from ..settings import CommonSettings
from .bus import DeadLetter
from .rabbit import RabbitBus

CONNECT_TIMEOUT = 30.0


async def _connected(settings: CommonSettings) -> RabbitBus:
    bus = RabbitBus(settings.amqp_url or "", settings.bus_namespace, settings.bus_max_attempts)
    await asyncio.wait_for(bus.start(), CONNECT_TIMEOUT)
    return bus


async def redrive(service: str, limit: int | None = None, settings: CommonSettings | None = None) -> int:
    """Move up to ``limit`` (all when None) dead letters of ``service`` back to its queue; how many moved."""
    bus = await _connected(settings or CommonSettings())
    try:
        return await bus.redrive(service, limit)
    finally:
        await bus.stop()


async def list_dead_letters(service: str, limit: int = 100, settings: CommonSettings | None = None) -> list[DeadLetter]:
    bus = await _connected(settings or CommonSettings())
    try:
        return await bus.dead_letters(service, limit)
    finally:
        await bus.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autocirc_shared.messaging.redrive",
        description="将某服务死信队列中的消息重新投递到该服务的队列（先排除失败原因）")
    parser.add_argument("service", help="服务名，如 reports、transactions、filing、media-sync")
    parser.add_argument("--limit", type=int, default=None, help="最多处理的条数（默认全部）")
    parser.add_argument("--list", action="store_true", help="只列出死信及原因，不重新投递")
    args = parser.parse_args(argv)
    settings = CommonSettings()
    if not settings.amqp_url:
        print("未设置 AUTOCIRC_AMQP_URL：死信队列只存在于 RabbitMQ（嵌入模式没有）", file=sys.stderr)
        return 2
    try:
        if args.list:
            dead = asyncio.run(list_dead_letters(args.service, args.limit or 100, settings))
            for letter in dead:
                name = letter.envelope.name if letter.envelope else "?"
                message_id = letter.envelope.message_id if letter.envelope else "?"
                print(f"{message_id}\t{name}\tattempts={letter.attempts}\treason={letter.reason}")
            print(f"{args.service}: {len(dead)} dead letter(s)")
            return 0
        moved = asyncio.run(redrive(args.service, args.limit, settings))
    except TimeoutError:
        print(f"RabbitMQ 在 {CONNECT_TIMEOUT:.0f} 秒内无法连接", file=sys.stderr)
        return 1
    print(f"{args.service}: redriven {moved} dead letter(s) from "
          f"{settings.bus_namespace}.{args.service}.dlq to {settings.bus_namespace}.{args.service}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
