"""A confirmed filing lets the enterprise report, and fixes which kinds it owes and its brands; a revoked
one stops it. Filing versions order the two (a late older event changes nothing)."""
from __future__ import annotations

from autocirc_shared.clock import china_date
from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import upsert
from sqlalchemy import delete

from ..domain.kinds import kinds_owed
from ..models.enterprises import Enterprise, EnterpriseKind
from ..usecases.regions import move_to
from .identity import locked_enterprise


async def _enterprise(uow: UnitOfWork, event: FilingConfirmed | FilingRevoked) -> Enterprise:
    await upsert(uow.session, Enterprise.__table__, [{
        "enterprise_id": event.enterprise_id, "name": event.enterprise_name, "uscc": event.uscc,
        "business_licence_no": event.business_licence_no, "types": list(event.types),
        "region_code": event.region_code, "confirmed": False, "filing_version": 0, "brands": [],
    }], update=[])
    return await locked_enterprise(uow, event.enterprise_id)


async def on_filing_confirmed(event: FilingConfirmed, uow: UnitOfWork) -> None:
    row = await _enterprise(uow, event)
    first = china_date(event.confirmed_at)
    row.first_confirmed_on = min(row.first_confirmed_on or first, first)
    if event.version <= row.filing_version:
        return  # an older confirmation arriving late (or one a revocation since undid)
    row.confirmed, row.filing_version = True, event.version
    row.name, row.uscc, row.business_licence_no = event.enterprise_name, event.uscc, event.business_licence_no
    row.types = list(event.types)
    if row.region_as_of is None:  # filing's copy of the region, until identity's own announcement arrives
        await move_to(uow.session, row, event.region_code)
    row.brands = [b.model_dump() for b in event.brands]
    row.filing_figures = {"business_area_m2": event.business_area_m2,
                          "resident_merchant_count": event.resident_merchant_count}
    await uow.session.execute(delete(EnterpriseKind).where(EnterpriseKind.enterprise_id == event.enterprise_id))
    await upsert(uow.session, EnterpriseKind.__table__,
                 [{"kind": kind, "enterprise_id": event.enterprise_id} for kind in kinds_owed(event.types)])


async def on_filing_revoked(event: FilingRevoked, uow: UnitOfWork) -> None:
    """No more reports are accepted, and the enterprise leaves the 'not yet filed' lists."""
    row = await _enterprise(uow, event)
    if event.version > row.filing_version:
        row.confirmed, row.filing_version = False, event.version
