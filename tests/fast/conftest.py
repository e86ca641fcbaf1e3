"""The fast tier (``make test-fast``): use cases and event handlers on SQLite and the in-process bus, in seconds.

- ``fast``: the embedded system as ``make run`` composes it (every service, SQLite files, the in-process bus), its
  gateway called in-process through httpx's ASGITransport; ``await fast.settle()`` returns once every event a
  request caused (and what those caused) has been handled, without sleeping or polling.
- ``lone(service)``: one service alone on its own SQLite file and bus (``tests/support/lone.py``) for its handlers:
  ``deliver_twice(event)`` hands one message to the bus twice and checks that the inbox applied it once.

The full ``make test`` runs this folder too."""
from __future__ import annotations

import contextlib

import pytest

from tests.support.lone import lone_service
from tests.support.system import running_system, system_env

# password hashing at its cheapest: the tier tests what is done with passwords, not argon2id's cost (~44 ms a hash
# at the production settings, some 60 hashes here)
CHEAP_HASHING = {"AUTOCIRC_ARGON2_TIME_COST": "1", "AUTOCIRC_ARGON2_MEMORY_KIB": "8"}


@pytest.fixture(scope="session")
async def fast(tmp_path_factory):
    env = system_env(tmp_path_factory.mktemp("fast"), pg_url=None, amqp_url=None, **CHEAP_HASHING)
    async with running_system(env) as running:
        await running.settle()  # what the start-up announced (catalog's starter set: some 470 messages)
        yield running


@pytest.fixture(scope="session")
async def lone(tmp_path_factory):
    async with contextlib.AsyncExitStack() as stack:
        started = {}

        async def get(service: str):
            if service not in started:
                started[service] = await stack.enter_async_context(
                    lone_service(service, tmp_path_factory.mktemp(f"lone-{service}"), **CHEAP_HASHING))
            return started[service]

        yield get
