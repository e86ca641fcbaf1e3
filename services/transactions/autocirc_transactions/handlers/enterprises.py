"""Who the enterprises are and whether their filing is in force, as identity and filing announce it."""
from __future__ import annotations

from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked
from autocirc_shared.events.identity import EnterpriseRegistered, EnterpriseUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..usecases.gate import learn_enterprise


async def on_enterprise_registered(event: EnterpriseRegistered, uow: UnitOfWork) -> None:
    await learn_enterprise(uow, event.enterprise_id, region_code=event.region_code, as_of=event.registered_at,
                           name=event.name, types=event.types, uscc=event.uscc)


async def on_enterprise_updated(event: EnterpriseUpdated, uow: UnitOfWork) -> None:
    await learn_enterprise(uow, event.enterprise_id, region_code=event.region_code, as_of=event.updated_at)


async def on_filing_confirmed(event: FilingConfirmed, uow: UnitOfWork) -> None:
    row = await learn_enterprise(uow, event.enterprise_id, region_code=event.region_code,
                                 as_of=event.confirmed_at, name=event.enterprise_name, types=event.types,
                                 uscc=event.uscc)
    row.confirmed_version = max(row.confirmed_version or 0, event.version)
    row.first_confirmed_at = row.first_confirmed_at or event.confirmed_at


async def on_filing_revoked(event: FilingRevoked, uow: UnitOfWork) -> None:
    """Versions order confirmations and revocations, whatever order the events arrive in."""
    row = await learn_enterprise(uow, event.enterprise_id, region_code=event.region_code, as_of=event.revoked_at,
                                 name=event.enterprise_name, types=event.types)
    row.revoked_version = max(row.revoked_version or 0, event.version)
