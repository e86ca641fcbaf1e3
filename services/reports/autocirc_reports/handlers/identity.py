"""Names and regions of enterprises, as identity announces them (upserts, then the region follows
the newest announcement: any order is fine, and a move takes the enterprise's figures along)."""
from __future__ import annotations

from autocirc_shared.events.identity import EnterpriseRegistered, EnterpriseUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import upsert
from sqlalchemy import select

from ..models.enterprises import Enterprise
from ..usecases.regions import follow_region


async def locked_enterprise(uow: UnitOfWork, enterprise_id: str) -> Enterprise:
    query = select(Enterprise).where(Enterprise.enterprise_id == enterprise_id).with_for_update()
    return (await uow.session.execute(query)).scalar_one()


async def on_enterprise_registered(event: EnterpriseRegistered, uow: UnitOfWork) -> None:
    # name, USCC and types never change; the region follows the newest announcement
    await upsert(uow.session, Enterprise.__table__, [{
        "enterprise_id": event.enterprise_id, "name": event.name, "uscc": event.uscc,
        "business_licence_no": event.business_licence_no, "types": list(event.types),
        "region_code": event.region_code, "region_as_of": event.registered_at, "confirmed": False,
        "filing_version": 0, "brands": [],
    }], update=["name", "uscc", "business_licence_no", "types"])
    row = await locked_enterprise(uow, event.enterprise_id)
    await follow_region(uow.session, row, event.region_code, event.registered_at)


async def on_enterprise_updated(event: EnterpriseUpdated, uow: UnitOfWork) -> None:
    await upsert(uow.session, Enterprise.__table__, [{
        "enterprise_id": event.enterprise_id, "name": "", "types": [], "region_code": event.region_code,
        "region_as_of": event.updated_at, "confirmed": False, "filing_version": 0, "brands": [],
    }], update=[])
    row = await locked_enterprise(uow, event.enterprise_id)
    await follow_region(uow.session, row, event.region_code, event.updated_at)
