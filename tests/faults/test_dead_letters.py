"""A poison message: dead-lettered with its reason after exactly the delivery limit, other messages not
held up meanwhile, and re-driven by the operator's command once the cause is fixed
(``python -m autocirc_shared.messaging.redrive <service>``, run as its own process)."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

from autocirc_shared.events.transactions import TransactionRecorded
from autocirc_shared.messaging.bus import QueueDepth

from tests.integration.test_transactions_excel import record
from tests.support.api import HANGZHOU_XIHU
from tests.support.figures import report
from tests.support.flows import confirmed_enterprise
from tests.support.ledger import enter_many, service_db, until_reconciled
from tests.support.waiting import eventually


def redrive_command(env: dict[str, str], amqp_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autocirc_shared.messaging.redrive", *args],
                          env={**os.environ, "AUTOCIRC_AMQP_URL": amqp_url,
                               "AUTOCIRC_BUS_NAMESPACE": env["AUTOCIRC_BUS_NAMESPACE"]},
                          capture_output=True, text=True, timeout=60, check=False)


async def test_poison_message_is_dead_lettered_with_its_reason_and_the_command_redrives_it(faulty_system, amqp_url):
    system = faulty_system
    client, bus, reports = system.client, system.bus, system.runtime("reports")
    enterprise, token = await confirmed_enterprise(client, residence=HANGZHOU_XIHU)
    poison_body = record(900_001)
    # The poison: a reports bug that fails on this one transaction, however often it is delivered.
    handlers = reports.consumer.handlers[TransactionRecorded.NAME]
    real = handlers[0]
    calls = {"poison": 0}

    def is_poison(event) -> bool:
        return event.facts.enterprise_id == enterprise["id"] and event.facts.amount_yuan == poison_body["deal"]["price"]

    async def buggy(event, uow):
        if is_poison(event):
            calls["poison"] += 1
            raise RuntimeError("报表汇总失败：模拟的缺陷")
        await real(event, uow)

    handlers[0] = buggy
    (poison_id,), _ = await enter_many(client, token, [poison_body])
    tx_db, reports_db = service_db(system.env, "transactions"), service_db(system.env, "reports")
    try:
        started = time.monotonic()
        await eventually(lambda: bus.dead_letters("reports"), timeout=60)
        dead_after = time.monotonic() - started
        dead = await bus.dead_letters("reports")
        assert [d.envelope.payload["transaction_id"] for d in dead] == [poison_id]
        assert "模拟的缺陷" in dead[0].reason and dead[0].attempts == bus.max_attempts
        assert calls["poison"] == bus.max_attempts, "tried exactly the delivery limit, then set aside"

        # Meanwhile others are not held up: a second entry is summed at once.
        t0 = time.monotonic()
        await enter_many(client, token, [record(900_002)])
        result, _ = await until_reconciled(tx_db, reports_db, [enterprise["id"]], timeout=30,
                                           done=lambda r: r.applied == 1)
        other_seconds = time.monotonic() - t0
        assert result.records == 2 and result.applied == 1 and result.duplicates == 0, "only the poison is missing"

        listed = redrive_command(system.env, amqp_url, "reports", "--list")
        assert listed.returncode == 0, listed.stderr
        assert dead[0].envelope.message_id in listed.stdout, listed.stdout
        assert "模拟的缺陷" in listed.stdout and "attempts=" in listed.stdout, listed.stdout
        assert await bus.queue_depth("reports") == QueueDepth(ready=0, dead_letters=1), "--list moved nothing"

        handlers[0] = real  # the fix is deployed
        moved = redrive_command(system.env, amqp_url, "reports")
        assert moved.returncode == 0, moved.stderr
        assert "redriven 1 dead letter" in moved.stdout, moved.stdout
        result, drain = await until_reconciled(tx_db, reports_db, [enterprise["id"]], timeout=30)
        assert result.matches and result.records == 2
        assert await bus.dead_letters("reports") == []
        again = redrive_command(system.env, amqp_url, "reports")
        assert "redriven 0 dead letter" in again.stdout, again.stdout
        report("poison_message", attempts=calls["poison"], limit=bus.max_attempts,
               dead_lettered_seconds=dead_after, other_applied_seconds=other_seconds, redriven=1,
               applied_after_redrive_seconds=drain, lost=result.lost, duplicates_applied=result.duplicates)
    finally:
        handlers[0] = real
        await asyncio.gather(tx_db.dispose(), reports_db.dispose())
