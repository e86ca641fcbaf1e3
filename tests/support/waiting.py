"""Polling for what happens asynchronously (events crossing the bus)."""
from __future__ import annotations

import asyncio


async def eventually(probe, timeout: float = 15.0, interval: float = 0.1, what: str = "not reached in time"):
    """Poll ``probe`` (an async callable) until it returns something truthy; return that (``what``: the failure's
    message)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await probe()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(what)
        await asyncio.sleep(interval)
    return result
