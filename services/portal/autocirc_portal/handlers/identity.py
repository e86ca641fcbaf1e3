"""Who the recipients are, as identity announces them."""
from __future__ import annotations

from autocirc_shared.clock import as_utc
from autocirc_shared.events.identity import ContactChanged, EnterpriseRegistered, EnterpriseUpdated, OfficialChanged
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..models import Contact, KnownEnterprise, KnownOfficial


async def on_enterprise_registered(event: EnterpriseRegistered, uow: UnitOfWork) -> None:
    row = await uow.session.get(KnownEnterprise, event.enterprise_id)
    if row is None:
        uow.session.add(KnownEnterprise(enterprise_id=event.enterprise_id, name=event.name,
                                        region_code=event.region_code))


async def on_enterprise_updated(event: EnterpriseUpdated, uow: UnitOfWork) -> None:
    row = await uow.session.get(KnownEnterprise, event.enterprise_id)
    if row is None:
        raise LookupError(f"enterprise {event.enterprise_id} not yet known")  # retried until registration lands
    row.region_code = event.region_code


async def on_official_changed(event: OfficialChanged, uow: UnitOfWork) -> None:
    """Last change wins by identity's clock, so a late older event changes nothing."""
    row = await uow.session.get(KnownOfficial, event.official_id)
    if row is None:
        uow.session.add(KnownOfficial(official_id=event.official_id, region_code=event.region_code,
                                      can_review=event.can_review, changed_at=event.changed_at))
    elif as_utc(row.changed_at) <= as_utc(event.changed_at):
        row.region_code, row.can_review, row.changed_at = event.region_code, event.can_review, event.changed_at


async def on_contact_changed(event: ContactChanged, uow: UnitOfWork) -> None:
    recipient = event.enterprise_id if event.kind == "enterprise" and event.enterprise_id else event.account_id
    row = await uow.session.get(Contact, recipient)
    if row is None:
        uow.session.add(Contact(recipient_id=recipient, email=event.email, changed_at=event.changed_at))
    elif as_utc(row.changed_at) <= as_utc(event.changed_at):
        row.email, row.changed_at = event.email, event.changed_at
