"""identity's composition root: ``uvicorn --factory autocirc_identity.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.auth.tokens import TokenIssuer, ensure_keypair
from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.outbound import courier_from
from autocirc_shared.service import ServiceRuntime

from .api import api_keys, audit, auth, enterprises, officials, password_reset, public
from .domain.passwords import Passwords
from .handlers import SUBSCRIPTIONS
from .settings import IdentitySettings
from .usecases.bootstrap import ensure_admin

NAME = "identity"


def create_runtime(settings: IdentitySettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    settings = settings or IdentitySettings()
    passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)

    async def prepare(runtime: ServiceRuntime) -> None:
        ensure_keypair(settings.private_key_path, settings.public_key_path)
        runtime.app.state.token_issuer = TokenIssuer(settings.private_key_path.read_bytes(), settings.jwt_ttl_seconds)
        async with runtime.uow() as uow:
            await ensure_admin(uow, passwords, settings.admin_password)

    runtime = ServiceRuntime(
        NAME, settings, title="autocirc identity 身份与账户",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=[public.router, enterprises.router, auth.router, password_reset.router, officials.router, audit.router,
                 api_keys.router, api_keys.internal],
        subscriptions=SUBSCRIPTIONS, on_start=[prepare], bus=bus,
        credential_cache_seconds=0,  # identity holds the source: it refuses a stale token at once
    )
    runtime.app.state.passwords = passwords
    runtime.app.state.courier = courier_from(settings)
    return runtime


def create_app():
    return create_runtime().app
