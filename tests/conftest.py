"""Fixtures for every suite: real PostgreSQL, RabbitMQ and S3 (moto_server over HTTP)."""
from __future__ import annotations

import pytest

from tests.support.infra import moto_s3, postgres_url, rabbitmq_url
from tests.support.system import running_system, system_env


@pytest.fixture(scope="session")
def pg_url():
    with postgres_url() as url:
        yield url


@pytest.fixture(scope="session")
def amqp_url():
    with rabbitmq_url() as url:
        yield url


@pytest.fixture(scope="session")
def s3():
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
async def system(pg_url, amqp_url, s3, tmp_path_factory):
    """The whole system in this process on real PostgreSQL, RabbitMQ and S3, shared by a session."""
    env = system_env(tmp_path_factory.mktemp("system"), pg_url=pg_url, amqp_url=amqp_url, s3=s3)
    async with running_system(env) as running:
        yield running


@pytest.fixture(scope="session")
async def embedded(tmp_path_factory):
    """The embedded mode exactly as ``make run`` builds it: SQLite files and the in-process bus."""
    env = system_env(tmp_path_factory.mktemp("embedded"), pg_url=None, amqp_url=None)
    async with running_system(env) as running:
        yield running
