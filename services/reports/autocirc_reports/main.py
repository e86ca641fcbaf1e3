"""reports's composition root: ``uvicorn --factory autocirc_reports.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.service import ServiceRuntime

from .api import ROUTERS
from .handlers import SUBSCRIPTIONS
from .settings import ReportsSettings
from .usecases.reminders import remind_forever

NAME = "reports"


def create_runtime(settings: ReportsSettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    runtime = ServiceRuntime(
        NAME, settings or ReportsSettings(), title="autocirc reports 报表",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=ROUTERS, subscriptions=SUBSCRIPTIONS, background=[remind_forever], bus=bus,
    )
    runtime.app.state.accepts_api_keys = True  # dealer software's keys: an enterprise's own records and reports
    return runtime


def create_app():
    return create_runtime().app
