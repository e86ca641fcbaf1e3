"""Confirmed enterprises that owe a kind for a period and have not filed it (the missing list, the reminders)."""
from __future__ import annotations

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
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


async def missing_page(uow: UnitOfWork, kind: str, period: str, codes: frozenset[str] | None, params: PageParams
                       ) -> tuple[list[Enterprise], int]:
    """One page of the enterprises (in the regions ``codes``, unless None) that owe ``kind`` for ``period``, by
    region and name, and the total."""
    query = owing(kind, period)
    if codes is not None:
        query = query.where(Enterprise.region_code.in_(codes))
    return await paginate(uow.session, query.order_by(Enterprise.region_code, Enterprise.name), params)
