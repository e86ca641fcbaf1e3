"""catalog's composition root: ``uvicorn --factory autocirc_catalog.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.service import ServiceRuntime

from .api import ROUTERS
from .handlers import SUBSCRIPTIONS
from .settings import CatalogSettings
from .usecases.seed import seed_starter

NAME = "catalog"


async def seed(runtime: ServiceRuntime) -> None:
    async with runtime.uow() as uow:
        await seed_starter(uow)


def create_runtime(settings: CatalogSettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        NAME, settings or CatalogSettings(), title="autocirc catalog 品牌/生产商/车型",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=ROUTERS, subscriptions=SUBSCRIPTIONS, on_start=[seed], bus=bus,
    )


def create_app():
    return create_runtime().app
