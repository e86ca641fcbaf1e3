"""What every service consumes: identity's password resets (``identity.credentials_changed.v1``)."""
from __future__ import annotations

import pytest
from autocirc_gateway.settings import SERVICES

from tests.fast import events


@pytest.mark.parametrize("service", SERVICES)
async def test_credentials_changed_is_kept_once_by_every_service(lone, service):
    alone = await lone(service)
    event = events.credentials()
    await alone.deliver_twice(event)
    rows = await alone.rows("SELECT valid_after_us FROM credential_versions WHERE account_id = :a", a=event.account_id)
    assert rows == [{"valid_after_us": int(event.valid_after.timestamp() * 1_000_000)}]
