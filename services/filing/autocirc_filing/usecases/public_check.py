"""The public filing check's read: the enterprise of a credit code and its filing, if any."""
from __future__ import annotations

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models.filings import EnterpriseView, Filing


async def filing_by_uscc(uow: UnitOfWork, uscc: str) -> tuple[EnterpriseView | None, Filing | None]:
    """The enterprise registered under ``uscc`` (normalised) and its filing; (None, None) for an unknown code."""
    row = (await uow.session.execute(
        select(EnterpriseView, Filing).outerjoin(Filing, Filing.enterprise_id == EnterpriseView.enterprise_id)
        .where(EnterpriseView.uscc == uscc).limit(1))).first()
    return (row[0], row[1]) if row else (None, None)
