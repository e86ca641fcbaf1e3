"""portal's composition root: ``uvicorn --factory autocirc_portal.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.blobs import blob_store_from_settings
from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.outbound import courier_from
from autocirc_shared.service import ServiceRuntime
from autocirc_shared.web.upload_limit import FRAMING, UploadLimit

from .api import ROUTERS
from .domain.attachments import MAX_BYTES, too_large
from .handlers import SUBSCRIPTIONS
from .settings import PortalSettings
from .usecases.outgoing import send_mail_forever

NAME = "portal"


def create_runtime(settings: PortalSettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    settings = settings or PortalSettings()
    runtime = ServiceRuntime(
        NAME, settings, title="autocirc portal 门户（政策发布、综合信息、重要通知、表格下载）与消息",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=ROUTERS, subscriptions=SUBSCRIPTIONS, background=[send_mail_forever], bus=bus,
    )
    runtime.app.state.blobs = blob_store_from_settings(settings)
    runtime.app.state.courier = courier_from(settings)
    runtime.app.add_middleware(UploadLimit, prefix="/api/v1/notices/", limit=MAX_BYTES + FRAMING, refusal=too_large)
    return runtime


def create_app():
    return create_runtime().app
