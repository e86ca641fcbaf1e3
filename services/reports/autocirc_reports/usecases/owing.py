"""Confirmed enterprises that owe a kind for a period and have not filed it (the missing list, the reminders)."""
from __future__ import annotations

from sqlalchemy import Select, exists, select

from ..models.enterprises import Enterprise, EnterpriseKind
from ..models.reports import Report


def owing(kind: str, period: str) -> Select:
    filed = exists().where(Report.enterprise_id == Enterprise.enterprise_id, Report.kind == kind,
                           Report.period == period)
    return (select(Enterprise)
            .join(EnterpriseKind, (EnterpriseKind.enterprise_id == Enterprise.enterprise_id)
                  & (EnterpriseKind.kind == kind))
            .where(Enterprise.confirmed.is_(True), ~filed))
