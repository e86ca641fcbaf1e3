"""filing's composition root: ``uvicorn --factory autocirc_filing.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.blobs import blob_store_from_settings
from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.service import ServiceRuntime
from autocirc_shared.web.upload_limit import FRAMING, UploadLimit

from .api import ROUTERS
from .domain.images import MAX_BYTES, too_large
from .handlers import SUBSCRIPTIONS
from .settings import FilingSettings

NAME = "filing"


def create_runtime(settings: FilingSettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    settings = settings or FilingSettings()
    runtime = ServiceRuntime(
        NAME, settings, title="autocirc filing 备案",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=ROUTERS, subscriptions=SUBSCRIPTIONS, bus=bus,
    )
    runtime.app.state.blobs = blob_store_from_settings(settings)
    runtime.app.add_middleware(UploadLimit, prefix="/api/v1/filing/media/", limit=MAX_BYTES + FRAMING, refusal=too_large)
    return runtime


def create_app():
    return create_runtime().app
