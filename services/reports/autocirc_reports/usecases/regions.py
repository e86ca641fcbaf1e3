"""Where an enterprise's figures count: its region as identity last announced it.

A move takes along everything statistics select by region: the pre-fill sums, the filed
reports and their lines. Announcements apply only forward in time, so a late older one
never moves the figures back; repeating one changes nothing.
"""
from __future__ import annotations

from datetime import datetime

from autocirc_shared.clock import as_utc
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.enterprises import Enterprise
from ..models.facts import transaction_sums as sums
from ..models.reports import LINE_TABLES, Report

MOVED_TABLES = (sums, Report.__table__, *LINE_TABLES.values())


async def move_to(session: AsyncSession, row: Enterprise, region_code: str) -> None:
    """``row`` (locked) and its sums, reports and lines now count in ``region_code``."""
    row.region_code = region_code
    for table in MOVED_TABLES:
        await session.execute(update(table).where(table.c.enterprise_id == row.enterprise_id,
                                                  table.c.region_code != region_code).values(region_code=region_code))


async def follow_region(session: AsyncSession, row: Enterprise, region_code: str, as_of: datetime) -> None:
    """Apply identity's announcement of ``row``'s region made at ``as_of``, unless a newer one was applied."""
    if row.region_as_of is not None and as_utc(as_of) < as_utc(row.region_as_of):
        return
    row.region_as_of = as_of
    await move_to(session, row, region_code)
