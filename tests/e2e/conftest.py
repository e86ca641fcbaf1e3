"""One ``make run-services`` process tree for the whole e2e package (starting it costs ~15 s)."""
from __future__ import annotations

import httpx
import pytest

from tests.support.processes import launched_services
from tests.support.system import running_system, system_env

E2E_TODAY = "2027-01-05"  # 2026 has ended, so its annual reports can be filed (until 31 March); September's
# monthly and Q3's quarterly reports, due on 10 October, are filed late (迟报)


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


@pytest.fixture(scope="package")
async def embedded_today(tmp_path_factory):
    """The embedded mode (SQLite, in-process bus, local blob folder) as ``make run`` builds it, on E2E_TODAY."""
    env = system_env(tmp_path_factory.mktemp("embedded-e2e"), pg_url=None, amqp_url=None, AUTOCIRC_TODAY=E2E_TODAY)
    async with running_system(env) as running:
        yield running


@pytest.fixture(params=["distributed", "embedded"])
def gateway(request):
    """An HTTP client on the gateway of either mode: the story is written once and run in both."""
    if request.param == "distributed":
        client, _ = request.getfixturevalue("services")
        return client
    return request.getfixturevalue("embedded_today").client
