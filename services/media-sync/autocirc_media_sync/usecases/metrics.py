"""Deliveries per status as a Prometheus gauge (served by the runtime's /metrics)."""
from __future__ import annotations

import asyncio
import contextlib

from prometheus_client import Gauge
from sqlalchemy import func, select

from ..models import Delivery
from .deliveries import DELIVERED, FAILED, PENDING

DELIVERIES = Gauge("autocirc_media_deliveries", "Police deliveries per status", ["service", "status"])
INTERVAL_SECONDS = 15.0


async def refresh_delivery_gauge(runtime) -> None:
    """Background task: one GROUP BY every few seconds is cheap and keeps /metrics fast."""
    while True:
        with contextlib.suppress(Exception):
            async with runtime.db.sessionmaker() as session:
                counts = dict((await session.execute(
                    select(Delivery.status, func.count()).group_by(Delivery.status))).all())
            for status in (PENDING, DELIVERED, FAILED):
                DELIVERIES.labels(runtime.name, status).set(counts.get(status, 0))
        await asyncio.sleep(INTERVAL_SECONDS)
