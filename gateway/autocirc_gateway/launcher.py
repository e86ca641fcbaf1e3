"""``make run-services``: every service and the gateway as separate processes.

Services listen on 127.0.0.1 from AUTOCIRC_SERVICE_BASE_PORT (default 8101) in the order of
``SERVICES``; the gateway on PORT (default 8000) reaches them by URL. Each process is the same
code as in embedded mode; only configuration differs. Stopping the launcher (Ctrl-C, SIGTERM)
stops them all; if one dies, the rest are stopped too, so failures are never silent.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from autocirc_shared.auth.tokens import ensure_keypair

from .settings import SERVICES, GatewaySettings

DEFAULTS = {
    "AUTOCIRC_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
    "AUTOCIRC_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
}


def _uvicorn(target: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--timeout-graceful-shutdown", "10"]


def main() -> int:
    env = {**DEFAULTS, **os.environ}
    base = int(env.get("AUTOCIRC_SERVICE_BASE_PORT", "8101"))
    port = int(env.get("PORT", "8000"))
    settings = GatewaySettings()
    ensure_keypair(settings.private_key_path, settings.public_key_path)
    procs: dict[str, subprocess.Popen] = {}
    for i, service in enumerate(SERVICES):
        url_var = f"AUTOCIRC_{service.upper().replace('-', '_')}_URL"
        env[url_var] = f"http://127.0.0.1:{base + i}"
        module = f"autocirc_{service.replace('-', '_')}.main:create_app"
        procs[service] = subprocess.Popen(_uvicorn(module, base + i), env=env)
    procs["gateway"] = subprocess.Popen(_uvicorn("autocirc_gateway.main:create_app", port), env=env)
    print(f"autocirc: gateway on http://127.0.0.1:{port}, services on ports {base}-{base + len(SERVICES) - 1}",
          flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"autocirc: {name} exited with {proc.returncode}; stopping", file=sys.stderr, flush=True)
                code, stopping = 1, True
                break
        time.sleep(0.5)
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    deadline = time.time() + 20
    for proc in procs.values():
        try:
            proc.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            proc.kill()
    return code


if __name__ == "__main__":
    sys.exit(main())
