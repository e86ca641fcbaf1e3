"""``make run-services``: every service and the gateway as separate processes.

Services listen on 127.0.0.1 from AUTOCIRC_SERVICE_BASE_PORT (default 8101) in the order of
``SERVICES``; the gateway on PORT (default 8000) reaches them by URL. Each process is the same
code as in embedded mode; only configuration differs. Stopping the launcher (Ctrl-C, SIGTERM)
stops them all. A process that dies is started again after a back-off (0.5 s, doubling to 30 s while it keeps
dying within a minute of its start), and each exit and restart is logged on stdout, so a crash costs that
service's requests a few seconds, not the whole system.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from autocirc_shared.auth.tokens import ensure_keypair

from .settings import SERVICES, GatewaySettings

DEFAULTS = {
    "AUTOCIRC_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
    "AUTOCIRC_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
}


def _uvicorn(target: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--timeout-graceful-shutdown", "10"]


RESTART_BASE_SECONDS, RESTART_CAP_SECONDS = 0.5, 30.0
STABLE_SECONDS = 60.0  # a process that ran this long before dying starts again from the shortest back-off


def restart_delay(failures: int) -> float:
    """Back-off before the ``failures``-th restart in a row."""
    return min(RESTART_CAP_SECONDS, RESTART_BASE_SECONDS * 2 ** max(0, failures - 1))


def say(message: str) -> None:
    print(f"autocirc: {message}", flush=True)


@dataclass
class Child:
    """One supervised process: started again after a back-off whenever it exits."""
    name: str
    argv: list[str]
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0
    due: float = 0.0  # when a stopped child is started again

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env)
        self.started_at = time.monotonic()

    def watch(self, now: float) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            ran = now - self.started_at
            self.failures = 1 if ran >= STABLE_SECONDS else self.failures + 1
            delay = restart_delay(self.failures)
            say(f"{self.name} (pid {self.proc.pid}) exited with {self.proc.returncode} after {ran:.1f} s; "
                f"restarting in {delay:.1f} s (restart {self.failures} in a row)")
            self.proc, self.due = None, now + delay
        if self.proc is None and now >= self.due:
            self.start()
            say(f"{self.name} restarted (pid {self.proc.pid})")


def main() -> int:
    env = {**DEFAULTS, **os.environ}
    base = int(env.get("AUTOCIRC_SERVICE_BASE_PORT", "8101"))
    port = int(env.get("PORT", "8000"))
    settings = GatewaySettings()
    ensure_keypair(settings.private_key_path, settings.public_key_path)
    children: list[Child] = []
    for i, service in enumerate(SERVICES):
        url_var = f"AUTOCIRC_{service.upper().replace('-', '_')}_URL"
        env[url_var] = f"http://127.0.0.1:{base + i}"
        module = f"autocirc_{service.replace('-', '_')}.main:create_app"
        children.append(Child(service, _uvicorn(module, base + i), env))
    children.append(Child("gateway", _uvicorn("autocirc_gateway.main:create_app", port), env))
    for child in children:
        child.start()
    say(f"gateway on http://127.0.0.1:{port}, services on ports {base}-{base + len(SERVICES) - 1}")

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        for child in children:
            child.watch(time.monotonic())
        time.sleep(0.2)
    procs = [child.proc for child in children if child.proc is not None]
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.time() + 20
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
