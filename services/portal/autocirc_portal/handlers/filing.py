"""Filing's decisions reach the enterprise; a submission reaches every reviewer whose region covers it."""
from __future__ import annotations

from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingRevoked, FilingSubmitted
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import region_covers
from sqlalchemy import select

from ..domain import messages
from ..models import KnownEnterprise, KnownOfficial
from .notify import notify


async def on_filing_confirmed(event: FilingConfirmed, uow: UnitOfWork) -> None:
    await notify(uow, event.enterprise_id, messages.filing_confirmed(event.version, event.confirmed_at),
                 event.confirmed_at)


async def on_filing_rejected(event: FilingRejected, uow: UnitOfWork) -> None:
    await notify(uow, event.enterprise_id, messages.filing_rejected(event.reason), event.rejected_at)


async def on_filing_revoked(event: FilingRevoked, uow: UnitOfWork) -> None:
    await notify(uow, event.enterprise_id, messages.filing_revoked(event.reason), event.revoked_at)


async def on_filing_submitted(event: FilingSubmitted, uow: UnitOfWork) -> None:
    enterprise = await uow.session.get(KnownEnterprise, event.enterprise_id)
    name = enterprise.name if enterprise else "一家企业"
    message = messages.filing_submitted(name, event.status == "changed")
    reviewers = (await uow.session.scalars(select(KnownOfficial).where(KnownOfficial.can_review.is_(True)))).all()
    for official in reviewers:
        if region_covers(official.region_code, event.region_code):
            await notify(uow, official.official_id, message, event.submitted_at)
