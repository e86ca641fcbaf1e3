"""One ``make run-services`` process tree for the whole e2e package (starting it costs ~15 s)."""
from __future__ import annotations

import httpx
import pytest

from tests.support.processes import launched_services

E2E_TODAY = "2026-10-05"  # September's monthly reports and Q3's quarterly report are due on 10 October


@pytest.fixture(scope="package")
async def launched(pg_url, amqp_url, s3, tmp_path_factory):
    async with launched_services(tmp_path_factory.mktemp("services"), pg_url, amqp_url, s3,
                                 AUTOCIRC_TODAY=E2E_TODAY, AUTOCIRC_DATABASE_POOL_SIZE="3") as running:
        yield running


@pytest.fixture(scope="package")
async def services(launched):
    """An HTTP client on the launcher's gateway, and the launcher's process."""
    async with httpx.AsyncClient(base_url=launched.url, timeout=60) as client:
        yield client, launched.proc
