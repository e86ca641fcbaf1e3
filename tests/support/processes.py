"""Services as separate processes, exactly as ``make run-services`` starts them (the launcher), or
one by one (``uvicorn --factory autocirc_<svc>.main:create_app``) when a test must kill and restart one.
Process facts are read from /proc: ``ps`` truncates command lines to ``$COLUMNS``, which CI sets."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from autocirc_gateway.settings import SERVICES, GatewaySettings
from autocirc_shared.auth.tokens import ensure_keypair

from .infra import free_port
from .system import delete_bus_objects, drop_databases, patched_env, system_env


def free_port_block(size: int, avoid: set[int] = frozenset()) -> int:
    """A base port such that ``base .. base+size-1`` are (very likely) free and not in ``avoid``."""
    while True:
        base = free_port()
        if base + size < 65000 and not avoid & set(range(base, base + size)):
            return base


async def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 120.0, path: str = "/readyz") -> None:
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        deadline = time.monotonic() + timeout
        while True:
            assert proc.poll() is None, f"process for {url} exited with {proc.returncode}"
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(path)).status_code == 200:
                    return
            assert time.monotonic() < deadline, f"{url} did not become ready in {timeout:.0f}s"
            await asyncio.sleep(0.3)


def _stop_group(proc: subprocess.Popen, grace: float = 30.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


class Launched:
    """The launcher's process tree: the gateway URL and the launcher's Popen."""

    def __init__(self, proc: subprocess.Popen, url: str, env: dict[str, str], log_path=None) -> None:
        self.proc = proc
        self.url = url
        self.env = env
        self.log_path = log_path  # the launcher's own lines (stdout); the services log to stderr as before


@contextlib.asynccontextmanager
async def launched_services(data_dir, pg_url: str, amqp_url: str, s3: dict | None, **extra: str
                            ) -> AsyncIterator[Launched]:
    """``make run-services`` (``python -m autocirc_gateway.launcher``) on fresh databases and bus objects,
    ready (gateway ``/readyz`` 200) when entered; everything stopped and dropped on exit."""
    env = system_env(data_dir, pg_url=pg_url, amqp_url=amqp_url, s3=s3, **extra)
    port = free_port()
    base = free_port_block(len(SERVICES), {port})
    env.update({"PORT": str(port), "AUTOCIRC_SERVICE_BASE_PORT": str(base)})
    log_path = Path(data_dir) / "launcher.out"
    log = open(log_path, "wb")  # noqa: SIM115, ASYNC230 (the launcher writes it for as long as it runs)
    proc = subprocess.Popen([sys.executable, "-m", "autocirc_gateway.launcher"], env={**os.environ, **env},  # noqa: ASYNC220 (Popen does not wait)
                            start_new_session=True, stdout=log)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(url, proc, timeout=120)
        yield Launched(proc, url, env, log_path)
    finally:
        _stop_group(proc)
        log.close()
        await drop_databases(pg_url, env["AUTOCIRC_DATABASE_PREFIX"])
        await delete_bus_objects(amqp_url, env["AUTOCIRC_BUS_NAMESPACE"])


class ServiceProcess:
    """One service (or the gateway) in its own process, startable again after a kill."""

    def __init__(self, service: str, env: dict[str, str], port: int | None = None) -> None:
        self.service = service
        self.env = env
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def target(self) -> str:
        if self.service == "gateway":
            return "autocirc_gateway.main:create_app"
        return f"autocirc_{self.service.replace('-', '_')}.main:create_app"

    def start(self) -> ServiceProcess:
        assert self.proc is None or self.proc.poll() is not None, f"{self.service} is running"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", self.target, "--host", "127.0.0.1",
             "--port", str(self.port), "--no-access-log", "--timeout-graceful-shutdown", "10"],
            env={**os.environ, **self.env}, start_new_session=True)
        self.starts += 1
        return self

    async def ready(self, timeout: float = 120.0) -> ServiceProcess:
        assert self.proc is not None
        await wait_ready(self.url, self.proc, timeout)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown hook, no rollback but the database's own."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None:
            _stop_group(self.proc)


def child_running(parent: int, needle: str) -> int:
    """The pid of ``parent``'s child whose command line holds ``needle``."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                args = cmdline.read().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and needle in args:
            return int(entry)
    raise AssertionError(f"no child of {parent} runs {needle}")


class SeparateServices:
    """Some services, each in its own process, and the gateway in front of them."""

    def __init__(self, env: dict[str, str], procs: dict[str, ServiceProcess]) -> None:
        self.env = env
        self.procs = procs

    @property
    def url(self) -> str:
        return self.procs["gateway"].url

    async def restart(self, service: str) -> ServiceProcess:
        return await self.procs[service].start().ready()


@contextlib.asynccontextmanager
async def separate_services(data_dir, pg_url: str, amqp_url: str, s3: dict | None, services, **extra: str
                            ) -> AsyncIterator[SeparateServices]:
    """``services`` (and the gateway) started one by one, as the launcher would but without its rule that
    one dying stops them all, so a test can kill one and start it again. Services not started are routed
    to a port nobody listens on."""
    env = system_env(data_dir, pg_url=pg_url, amqp_url=amqp_url, s3=s3, **extra)
    with patched_env(env):
        settings = GatewaySettings()
    ensure_keypair(settings.private_key_path, settings.public_key_path)  # as the launcher does first
    procs = {name: ServiceProcess(name, env) for name in (*services, "gateway")}
    for name in SERVICES:
        env[f"AUTOCIRC_{name.upper().replace('-', '_')}_URL"] = procs[name].url if name in procs \
            else f"http://127.0.0.1:{free_port()}"
    try:
        for proc in procs.values():
            proc.start()
        await asyncio.gather(*(p.ready() for name, p in procs.items() if name != "gateway"))
        await wait_ready(procs["gateway"].url, procs["gateway"].proc, path="/healthz")
        yield SeparateServices(env, procs)
    finally:
        for proc in procs.values():
            proc.stop()
        await drop_databases(pg_url, env["AUTOCIRC_DATABASE_PREFIX"])
        await delete_bus_objects(amqp_url, env["AUTOCIRC_BUS_NAMESPACE"])

