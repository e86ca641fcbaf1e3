"""Searching every service's audit entries (identity keeps them in ``audit_feed``): the admin all, an official those
about its region; newest first."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import CHINA
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.web.pagination import PageParams
from sqlalchemy import func, or_, select

from ..models import audit_feed


def _china_midnight(day: date) -> datetime:
    """In UTC: SQLite keeps the wall clock it is given, and every entry's is UTC."""
    return datetime.combine(day, time(), tzinfo=CHINA).astimezone(UTC)


async def search_audit(uow: UnitOfWork, reader: Principal, actor: str | None, action: str | None,
                       date_from: date | None, date_to: date | None, params: PageParams) -> tuple[list, int]:
    """One page of the entries ``reader`` may see matching the filters (dates inclusive, Beijing time), and the total."""
    query = select(audit_feed)
    if reader.kind == "official" and (within := codes_within(reader.region_code or "")) is not None:
        query = query.where(audit_feed.c.region_code.in_(sorted(within)))
    if actor:
        query = query.where(or_(audit_feed.c.actor_name == actor.strip(), audit_feed.c.actor_id == actor.strip()))
    if action:
        query = query.where(audit_feed.c.action == action.strip())
    if date_from:
        query = query.where(audit_feed.c.at >= _china_midnight(date_from))
    if date_to:
        query = query.where(audit_feed.c.at < _china_midnight(date_to + timedelta(days=1)))
    total = await uow.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = (await uow.session.execute(query.order_by(audit_feed.c.at.desc(), audit_feed.c.id.desc())
                                      .offset(params.offset).limit(params.page_size))).all()
    return rows, int(total or 0)
