"""The embedded bus with its journal: nothing handed to it is lost across a stop or a crash."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.inprocess import InProcessBus


def envelope(n: int) -> Envelope:
    return Envelope(message_id=str(uuid.uuid4()), name="test.thing_happened.v1", occurred_at=datetime.now(UTC),
                    producer="test", payload={"n": n})


def collecting(into: list[int]):
    async def handle(env: Envelope) -> None:
        into.append(env.payload["n"])
    return handle


async def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_messages_not_yet_handled_are_delivered_after_a_restart(tmp_path):
    journal = tmp_path / "bus.sqlite3"
    gate, seen_first = asyncio.Event(), []

    async def stuck(env: Envelope) -> None:  # takes the first message, then hangs as if the process died
        seen_first.append(env.payload["n"])
        await gate.wait()

    first = InProcessBus(journal=journal, concurrency=1)
    await first.subscribe("reports", ["test.#"], stuck)
    await first.start()
    await first.publish([envelope(n) for n in range(5)])
    await wait_for(lambda: seen_first)
    await first.stop()  # four queued, one in the handler: none acknowledged

    handled: list[int] = []
    second = InProcessBus(journal=journal)
    await second.subscribe("reports", ["test.#"], collecting(handled))
    await second.start()
    await wait_for(lambda: len(handled) == 5)
    await second.idle()
    await second.stop()
    assert sorted(handled) == [0, 1, 2, 3, 4]

    third_seen: list[int] = []
    third = InProcessBus(journal=journal)
    await third.subscribe("reports", ["test.#"], collecting(third_seen))
    await third.start()
    await asyncio.sleep(0.1)
    await third.stop()
    assert third_seen == [], "what was handled is not delivered again"


async def test_dead_letters_survive_a_restart_and_can_be_redriven(tmp_path):
    journal = tmp_path / "bus.sqlite3"

    async def poison(env: Envelope) -> None:
        raise ValueError("cannot apply")

    first = InProcessBus(max_attempts=2, retry_base_seconds=0.01, journal=journal)
    await first.subscribe("filing", ["test.#"], poison)
    await first.start()
    await first.publish([envelope(7)])
    for _ in range(500):
        if (await first.queue_depth("filing")).dead_letters == 1:
            break
        await asyncio.sleep(0.01)
    assert (await first.queue_depth("filing")).dead_letters == 1
    await first.stop()

    applied: list[int] = []
    second = InProcessBus(journal=journal)
    await second.subscribe("filing", ["test.#"], collecting(applied))
    await second.start()
    (dead,) = await second.dead_letters("filing")
    assert dead.attempts == 2 and "cannot apply" in dead.reason and dead.envelope.payload == {"n": 7}
    assert (await second.queue_depth("filing")).dead_letters == 1
    assert await second.redrive("filing") == 1
    await wait_for(lambda: applied == [7])
    await second.idle()
    assert (await second.queue_depth("filing")).dead_letters == 0
    await second.stop()
