"""The embedded mode (``make run``): SQLite files, the in-process bus, one process.
The same service code as the distributed mode, only configured differently."""
from __future__ import annotations

import asyncio

from autocirc_shared.messaging.tables import outbox
from sqlalchemy import func, select

from tests.support.api import admin_token, bearer, create_official, login, register


async def test_identity_story_in_embedded_mode(embedded):
    client = embedded.client
    assert (await client.get("/readyz")).status_code == 200
    created = await register(client)
    token = await login(client, created["uscc"])
    assert (await client.get("/api/v1/me", headers=bearer(token))).json()["enterprise"]["uscc"] == created["uscc"]
    admin = await admin_token(client)
    province = await create_official(client, admin, level="province", region_code="110000")
    city = await create_official(client, await login(client, province["username"]), level="city", region_code="110100")
    granted = await client.patch(f"/api/v1/officials/{city['id']}", json={"can_review": True},
                                 headers=bearer(await login(client, province["username"])))
    assert granted.json()["can_review"] is True
    bad = await client.post("/api/v1/enterprises", json={**created, "uscc": "91350100M000100Y44"})
    assert bad.json()["code"] == "uscc.checksum"


async def test_outbox_is_drained_by_the_in_process_bus(embedded):
    await register(embedded.client)
    identity = embedded.runtime("identity")
    for _ in range(50):
        async with identity.db.sessionmaker() as s:
            unsent = await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None)))
        if unsent == 0:
            break
        await asyncio.sleep(0.1)
    assert unsent == 0
    assert identity.relay.published >= 1
