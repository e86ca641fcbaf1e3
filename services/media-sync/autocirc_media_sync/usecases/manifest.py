"""The daily reconciliation with the police (对账): a Beijing-time day's deliveries and what is still unacknowledged."""
from __future__ import annotations

import datetime as dt
from datetime import datetime, time, timedelta

from autocirc_shared.clock import CHINA
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models import Delivery
from .deliveries import DELIVERED, superseded_clause


async def day_manifest(uow: UnitOfWork, day: dt.date, limit: int) -> tuple[list[Delivery], list[Delivery]]:
    """What was delivered on ``day`` (with its receipt), and what was queued by the end of it, not delivered and
    not superseded; at most ``limit`` of each, oldest first."""
    start = datetime.combine(day, time(), CHINA)
    end = start + timedelta(days=1)
    sent = (await uow.session.scalars(
        select(Delivery).where(Delivery.status == DELIVERED, Delivery.delivered_at >= start, Delivery.delivered_at < end)
        .order_by(Delivery.delivered_at, Delivery.id).limit(limit))).all()
    open_ = (await uow.session.scalars(
        select(Delivery).where(Delivery.status != DELIVERED, Delivery.created_at < end, ~superseded_clause())
        .order_by(Delivery.created_at, Delivery.id).limit(limit))).all()
    return list(sent), list(open_)
