"""transactions's composition root: ``uvicorn --factory autocirc_transactions.main:create_app``."""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.messaging.bus import MessageBus
from autocirc_shared.service import ServiceRuntime

from .api import ROUTERS
from .handlers import SUBSCRIPTIONS
from .settings import TransactionsSettings
from .usecases.import_jobs import run_import_worker
from .usecases.upload_retention import run_upload_sweeper

NAME = "transactions"


def create_runtime(settings: TransactionsSettings | None = None, bus: MessageBus | None = None) -> ServiceRuntime:
    runtime = ServiceRuntime(
        NAME, settings or TransactionsSettings(), title="autocirc transactions 二手车交易",
        migrations_dir=Path(__file__).parent / "migrations",
        routers=ROUTERS, subscriptions=SUBSCRIPTIONS, background=[run_import_worker, run_upload_sweeper], bus=bus,
    )
    runtime.app.state.accepts_api_keys = True  # dealer software's keys: an enterprise's own records and reports
    return runtime


def create_app():
    return create_runtime().app
