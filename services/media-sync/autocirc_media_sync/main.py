"""media-sync's composition root: ``uvicorn --factory autocirc_media_sync.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.blobs import blob_store_from_settings
from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.service import ServiceRuntime

from .api import agency_keys, deliveries, manifest
from .api import police as police_api
from .handlers import SUBSCRIPTIONS
from .police.http import police_client_from_settings
from .police.signing import Keyring
from .settings import MediaSyncSettings
from .stub import api as stub_api
from .stub.faults import FaultInjector
from .stub.trust import StubTrust
from .usecases.metrics import refresh_delivery_gauge
from .usecases.worker import DeliveryWorker

NAME = "media-sync"


async def deliver_media(runtime: ServiceRuntime) -> None:
    """Background task: the delivery worker, until the runtime stops."""
    settings: MediaSyncSettings = runtime.settings
    police = police_client_from_settings(settings, runtime.app.state.police_keyring.signer, stub_app=runtime.app)
    worker = DeliveryWorker(runtime.uow, police, runtime.app.state.blobs, settings)
    runtime.app.state.delivery_worker = worker
    try:
        await worker.run()
    finally:
        await police.aclose()


def create_runtime(settings: MediaSyncSettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    settings = settings or MediaSyncSettings()
    routers = [deliveries.router, police_api.router, agency_keys.router, manifest.router]
    routers += [stub_api.router] if settings.police_stub else []
    runtime = ServiceRuntime(
        NAME, settings, title="autocirc media-sync 影像同步",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=routers, subscriptions=SUBSCRIPTIONS, background=[deliver_media, refresh_delivery_gauge], bus=bus,
    )
    runtime.app.state.police_faults = FaultInjector()
    runtime.app.state.blobs = blob_store_from_settings(settings)
    keyring = Keyring.from_files(settings.signing_key_path, settings.police_previous_public_key_files)
    runtime.app.state.police_keyring = keyring
    runtime.app.state.police_stub_trust = StubTrust(keyring)
    return runtime


def create_app():
    return create_runtime().app
