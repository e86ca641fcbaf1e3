"""The token-freshness read (``CredentialVersions``): one read per account at a time when cached."""
from __future__ import annotations

import asyncio

from autocirc_shared.auth.freshness import CredentialVersions
from sqlalchemy import event


async def test_concurrent_requests_share_one_freshness_read(lone):
    alone = await lone("transactions")
    engine = alone.runtime.db.engine.sync_engine
    reads: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if "credential_versions" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        cached = CredentialVersions(alone.runtime.db, cache_seconds=60)
        values = await asyncio.gather(*(cached.valid_after_us("account-1") for _ in range(8)))
        assert values == [None] * 8 and len(reads) == 1, reads
        await cached.valid_after_us("account-2")
        assert len(reads) == 2  # another account is its own read
        uncached = CredentialVersions(alone.runtime.db, cache_seconds=0)  # identity's: each request reads
        await asyncio.gather(*(uncached.valid_after_us("account-1") for _ in range(3)))
        assert len(reads) == 5
    finally:
        event.remove(engine, "before_cursor_execute", count)
