"""The fault suites: each scenario prints its figures (``FAULT <scenario> key=value ...``); they are
repeated in a section at the end of any run that collected them, ``make test`` included."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support.figures import FIGURES
from tests.support.system import running_system, system_env
from tests.support.tcpproxy import TcpProxy


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FIGURES:
        terminalreporter.section("fault figures")
        for line in FIGURES:
            terminalreporter.write_line(line)

FAULT_ENV = {
    "AUTOCIRC_DATABASE_POOL_SIZE": "4",  # the PostgreSQL server is shared with other suites (100 connections)
    # the police scenario keeps retrying through a long outage instead of failing the deliveries
    "AUTOCIRC_MEDIA_SYNC_MAX_ATTEMPTS": "200", "AUTOCIRC_MEDIA_SYNC_RETRY_CAP_SECONDS": "1",
    "AUTOCIRC_MEDIA_SYNC_TIMEOUT_SECONDS": "2",
}


@pytest.fixture(scope="package")
async def broker_proxy(amqp_url):
    """A TCP proxy between the system and RabbitMQ: cutting it is a broker outage as the services see it
    (the real broker, which other suites share, is never stopped)."""
    parts = urlsplit(amqp_url)
    proxy = await TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5672).start()
    proxied = urlunsplit(parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}"))
    yield proxy, proxied
    await proxy.close()


@pytest.fixture(scope="package")
async def faulty_system(pg_url, broker_proxy, s3, tmp_path_factory):
    """The whole system in this process on PostgreSQL and S3, reaching RabbitMQ only through the proxy."""
    proxy, proxied_url = broker_proxy
    env = system_env(tmp_path_factory.mktemp("faults"), pg_url=pg_url, amqp_url=proxied_url, s3=s3, **FAULT_ENV)
    async with running_system(env) as running:
        running.proxy = proxy
        yield running
        proxy.restore()  # the teardown deletes the bus objects through it
