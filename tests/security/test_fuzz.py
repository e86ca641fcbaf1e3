"""Fuzz every public operation of the merged OpenAPI document with schemathesis: no 500 anywhere.

The system (real PostgreSQL, RabbitMQ and S3) is served over real HTTP by uvicorn inside the test's event
loop; schemathesis and hypothesis run in a worker thread and call it with requests, as a client would.
Each operation is fuzzed with valid (positive) and invalid (negative) inputs, as an enterprise and as an
official (and the admin for the operations only it may use), a bounded number of examples each.
"""
from __future__ import annotations

import asyncio
import collections
import os
import socket
import time

import hypothesis
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode

from tests.support.api import admin_token, create_official, login, make_uscc
from tests.support.flows import confirmed_enterprise

from .conftest import TIBET, figure, reports_today

# Examples per operation, per actor and per mode: bounded so the suite stays within minutes on 2 cores.
EXAMPLES = int(os.environ.get("AUTOCIRC_FUZZ_EXAMPLES", "8"))
# The police stub's fault switch would break the other suites' deliveries; it is a test double, not the product.
SKIP = {("PUT", "/stub/police/faults"), ("POST", "/stub/police/documents")}
ADMIN_ONLY_PREFIXES = ("/api/v1/media-sync/", "/api/v1/officials")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def serve(app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                                           access_log=False, limit_concurrency=50))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    return server, task, port


def fuzz(document: dict, base_url: str, tokens: dict[str, str], examples: int) -> dict:
    """Runs in a thread: every operation × actor × mode; returns counts and every 5xx found."""
    schema = schemathesis.openapi.from_dict(document)
    statuses: collections.Counter = collections.Counter()
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        method, path = operation.method.upper(), operation.path
        if (method, path) in SKIP:
            continue
        operations += 1
        actors = ["enterprise", "official"] + (["admin"] if path.startswith(ADMIN_ONLY_PREFIXES)
                                               or "/approve" in path or "/reject" in path else [])
        for actor in actors:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                run = _runner(operation, mode, actor, {"Authorization": f"Bearer {tokens[actor]}"}, base_url,
                              statuses, failures, examples)
                try:
                    run()
                except hypothesis.errors.Unsatisfiable:
                    pass
    return {"operations": operations, "statuses": dict(statuses), "failures": failures}


def _runner(operation, mode, actor: str, headers: dict, base_url: str, statuses, failures, examples: int):
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
              verbosity=hypothesis.Verbosity.quiet)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        statuses[response.status_code // 100 * 100] += 1
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} as {actor} ({mode.value}): "
                            f"{response.status_code} {response.text[:300]}\n  "
                            f"{case.as_curl_command(headers=headers)[:600]}")

    return run


async def embedded_tokens(embedded) -> dict[str, str]:
    """A confirmed used-car dealer and a province official of its region (Tibet) in the embedded system."""
    client = embedded.client
    _, enterprise = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    admin = await admin_token(client)
    official = await create_official(client, admin, level="province", region_code="540000", can_review=True)
    return {"enterprise": enterprise, "official": await login(client, official["username"]), "admin": admin}


@pytest.mark.slow
async def test_fuzz_every_operation_no_5xx_on_postgresql_rabbitmq_s3(system, world):
    """The suite's own actors: B and the Tibet official (their writes stay in Tibet), the admin."""
    tokens = {"enterprise": world.b.token, "official": world.outside.token, "admin": world.admin.token}
    await fuzz_system(system, tokens, "system", EXAMPLES)


@pytest.mark.slow
async def test_fuzz_every_operation_no_5xx_embedded(embedded):
    """SQLite and the in-process bus have their own ways to fail; fewer examples here."""
    await fuzz_system(embedded, await embedded_tokens(embedded), "embedded", max(EXAMPLES // 2, 1))


async def fuzz_system(target, tokens: dict[str, str], mode: str, examples: int) -> None:
    document = (await target.client.get("/openapi.json")).json()
    server, task, port = await serve(target.app)
    started = time.perf_counter()
    try:
        with reports_today(target):
            result = await asyncio.to_thread(fuzz, document, f"http://127.0.0.1:{port}", tokens, examples)
    finally:
        server.should_exit = True
        await task
    elapsed = time.perf_counter() - started
    requests = sum(result["statuses"].values())
    label = "" if mode == "system" else "_embedded"
    figure(f"fuzz{label}_operations", result["operations"])
    figure(f"fuzz{label}_requests", requests)
    figure(f"fuzz{label}_statuses", result["statuses"])
    figure(f"fuzz{label}_5xx", len(result["failures"]))
    figure(f"fuzz{label}_seconds", round(elapsed, 1))
    assert result["operations"] >= 100
    assert requests >= result["operations"] * 2, "the fuzzer sent too few requests to mean anything"
    assert not result["failures"], "\n".join(result["failures"][:40])
