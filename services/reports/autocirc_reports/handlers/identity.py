"""Names and regions of enterprises, as identity announces them (upserts: any order is fine)."""
from __future__ import annotations

from autocirc_shared.events.identity import EnterpriseRegistered, EnterpriseUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import upsert

from ..models.enterprises import Enterprise


async def on_enterprise_registered(event: EnterpriseRegistered, uow: UnitOfWork) -> None:
    # name, USCC and types never change; the region may have been updated since, so it is kept
    await upsert(uow.session, Enterprise.__table__, [{
        "enterprise_id": event.enterprise_id, "name": event.name, "uscc": event.uscc,
        "business_licence_no": event.business_licence_no, "types": list(event.types),
        "region_code": event.region_code, "confirmed": False, "filing_version": 0, "brands": [],
    }], update=["name", "uscc", "business_licence_no", "types"])


async def on_enterprise_updated(event: EnterpriseUpdated, uow: UnitOfWork) -> None:
    await upsert(uow.session, Enterprise.__table__, [{
        "enterprise_id": event.enterprise_id, "name": "", "types": [], "region_code": event.region_code,
        "confirmed": False, "filing_version": 0, "brands": [],
    }], update=["region_code"])
