"""Real infrastructure for tests: PostgreSQL, RabbitMQ and an S3 endpoint.

Local services on 127.0.0.1 are used when reachable; otherwise testcontainers starts them
when Docker is present. Under CI (``CI=true``) a missing service fails the run, never skips.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def docker_available() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def unavailable(reason: str):
    """Skip on a developer's machine that lacks a part; under CI (`CI=true`) a missing part fails the run."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI: a missing test dependency fails the run)", pytrace=False)
    pytest.skip(reason)


def missing(what: str):
    unavailable(f"{what} is not reachable on 127.0.0.1 and Docker is not available to start it")


@contextmanager
def postgres_url():
    if reachable("127.0.0.1", 5432):
        yield os.environ.get("AUTOCIRC_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        return
    if not docker_available():
        missing("PostgreSQL")
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:15") as pg:
        yield pg.get_connection_url().replace("+psycopg2", "")


@contextmanager
def rabbitmq_url():
    if reachable("127.0.0.1", 5672):
        yield os.environ.get("AUTOCIRC_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
        return
    if not docker_available():
        missing("RabbitMQ")
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:3.12") as rmq:
        params = rmq.get_connection_params()
        yield f"amqp://guest:guest@{params.host}:{params.port}/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def moto_s3():
    """An S3 endpoint over real HTTP: moto_server in a subprocess."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while not reachable("127.0.0.1", port, 0.2):
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail("moto_server did not start", pytrace=False)
            time.sleep(0.1)
        yield {"endpoint": f"http://127.0.0.1:{port}", "access_key": "testing", "secret_key": "testing"}
    finally:
        proc.terminate()
        proc.wait(10)
