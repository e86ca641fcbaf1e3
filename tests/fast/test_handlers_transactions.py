"""transactions' handlers: the entry gate learns enterprises and whether their filing is in force."""
from __future__ import annotations

from tests.fast import events


async def test_the_gate_opens_on_confirmation_and_closes_on_revocation(lone):
    transactions = await lone("transactions")
    registered = events.registered()
    enterprise_id = registered.enterprise_id
    await transactions.deliver_twice(registered)
    gate = "SELECT region_code, confirmed_version, revoked_version FROM enterprises WHERE enterprise_id = :e"
    assert await transactions.rows(gate, e=enterprise_id) == [
        {"region_code": "110101", "confirmed_version": None, "revoked_version": None}]
    await transactions.deliver_twice(events.confirmed(enterprise_id, version=1))
    await transactions.deliver_twice(events.updated(enterprise_id, "110102"))
    assert await transactions.rows(gate, e=enterprise_id) == [
        {"region_code": "110102", "confirmed_version": 1, "revoked_version": None}]
    await transactions.deliver_twice(events.revoked(enterprise_id, version=2))
    assert (await transactions.rows(gate, e=enterprise_id))[0]["revoked_version"] == 2
    await transactions.deliver_twice(events.confirmed(enterprise_id, version=1))  # late: still revoked
    assert (await transactions.rows(gate, e=enterprise_id))[0]["confirmed_version"] == 1
