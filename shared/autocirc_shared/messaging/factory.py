"""Choose the bus adapter from configuration alone."""
from __future__ import annotations

from pathlib import Path

from ..settings import CommonSettings
from .bus import MessageBus
from .inprocess import InProcessBus
from .rabbit import RabbitBus


def bus_from_settings(settings: CommonSettings) -> MessageBus:
    if settings.amqp_url:
        return RabbitBus(settings.amqp_url, settings.bus_namespace, settings.bus_max_attempts,
                         settings.bus_retry_base_seconds, settings.bus_prefetch)
    return InProcessBus(settings.bus_max_attempts, settings.bus_retry_base_seconds,
                        journal=Path(settings.data_dir) / "db" / "bus.sqlite3")
