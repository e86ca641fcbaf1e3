"""What the fast tier's waiting rests on: ``InProcessBus.idle()`` returns only once every accepted message is
handled (in-flight and retried ones too), and ``System.settle()`` follows a chain of events across services."""
from __future__ import annotations

import asyncio

from autocirc_shared.messaging.envelope import Envelope
from autocirc_shared.messaging.inprocess import InProcessBus

from tests.support.api import register
from tests.support.lone import query


def envelope(n: int) -> Envelope:
    return Envelope(name="test.thing_happened.v1", producer="test", payload={"n": n})


async def test_idle_waits_for_handlers_in_flight_and_for_retries():
    handled: list[int] = []
    failed: set[int] = set()

    async def flaky(env: Envelope) -> None:
        n = env.payload["n"]
        await asyncio.sleep(0.03)  # a handler busy for a while (a database call): the queue is empty meanwhile
        if n % 2 and n not in failed:
            failed.add(n)
            raise RuntimeError("first attempt fails")
        handled.append(n)

    bus = InProcessBus(retry_base_seconds=0.01, concurrency=2)
    await bus.subscribe("reports", ["test.#"], flaky)
    await bus.start()
    try:
        await bus.publish([envelope(n) for n in range(6)])
        await bus.idle()
        assert sorted(handled) == list(range(6)) and failed == {1, 3, 5}
        assert await bus.dead_letters("reports") == []
    finally:
        await bus.stop()


async def test_settle_follows_a_registration_to_every_service_that_learns_of_it(fast):
    enterprise = await register(fast.client)
    await fast.settle()
    for service, sql in (("filing", "SELECT name FROM enterprises WHERE enterprise_id = :e"),
                         ("transactions", "SELECT name FROM enterprises WHERE enterprise_id = :e"),
                         ("reports", "SELECT name FROM enterprises WHERE enterprise_id = :e"),
                         ("portal", "SELECT name FROM enterprises WHERE enterprise_id = :e")):
        assert await query(fast.runtime(service).db, sql, e=enterprise["id"]) == [{"name": enterprise["name"]}], service
    assert not any([await runtime.relay.pending() for runtime in fast.runtimes.values()])
