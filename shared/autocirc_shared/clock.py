"""China's calendar day, whatever zone the server runs in.

Every date rule (no trade in the future, report periods, annual deadlines) is about the day in
China (UTC+8, no daylight saving); a container on UTC would otherwise refuse a sale made between
00:00 and 08:00 Beijing time as ``date.future`` and lock reports eight hours late.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def china_now() -> datetime:
    return datetime.now(CHINA)


def china_today() -> date:
    return china_now().date()


def as_utc(moment: datetime) -> datetime:
    """An aware datetime; a naive one is UTC (SQLite hands back naive values of aware columns)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def china_date(moment: datetime) -> date:
    """The day ``moment`` falls on in China (naive means UTC)."""
    return as_utc(moment).astimezone(CHINA).date()
