"""What identity learns from filing: that an enterprise has filed, and how a residence change was decided."""
from __future__ import annotations

from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingSubmitted
from autocirc_shared.events.identity import EnterpriseUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..domain.residence import pending_region
from ..models import Enterprise


async def _enterprise(uow: UnitOfWork, enterprise_id: str) -> Enterprise | None:
    return await uow.get_for_update(Enterprise, enterprise_id)


async def on_filing_submitted(event: FilingSubmitted, uow: UnitOfWork) -> None:
    enterprise = await _enterprise(uow, event.enterprise_id)
    if enterprise is not None:
        enterprise.filed = True


async def on_filing_confirmed(event: FilingConfirmed, uow: UnitOfWork) -> None:
    """The new region's official confirmed the move: the enterprise's residence becomes the new one."""
    enterprise = await _enterprise(uow, event.enterprise_id)
    if enterprise is None:
        return
    enterprise.filed = True
    pending = enterprise.pending_residence
    if pending is None or pending_region(pending) != event.region_code:
        return  # a confirmation of something else (the move, if any, is still waiting)
    enterprise.province_code, enterprise.city_code = pending["province_code"], pending["city_code"]
    enterprise.district_code, enterprise.street = pending["district_code"], pending["street"]
    enterprise.pending_residence = None
    uow.emit(EnterpriseUpdated(enterprise_id=enterprise.id, region_code=enterprise.region_code,
                               updated_at=event.confirmed_at))


async def on_filing_rejected(event: FilingRejected, uow: UnitOfWork) -> None:
    """A rejected change ends the requested move: the enterprise stays, and may ask again."""
    enterprise = await _enterprise(uow, event.enterprise_id)
    if enterprise is not None:
        enterprise.pending_residence = None
