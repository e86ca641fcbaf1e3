"""Who enterprises and officials are, as identity announces them."""
from __future__ import annotations

from autocirc_shared.events.filing import ReviewRightApplied
from autocirc_shared.events.identity import (
    EnterpriseRegistered,
    EnterpriseUpdated,
    OfficialChanged,
    ResidenceChangeRequested,
)
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..domain import lifecycle
from ..models.filings import EnterpriseView, Filing, FilingEvent, OfficialView


async def on_enterprise_registered(event: EnterpriseRegistered, uow: UnitOfWork) -> None:
    row = await uow.session.get(EnterpriseView, event.enterprise_id)
    if row is None:
        row = EnterpriseView(enterprise_id=event.enterprise_id)
        uow.session.add(row)
    row.name, row.uscc, row.business_licence_no = event.name, event.uscc, event.business_licence_no
    row.types, row.region_code = list(event.types), event.region_code
    row.residence = event.residence.model_dump() if event.residence else None
    row.filler_name = event.filler_name
    row.tax_reg_no, row.org_code = event.tax_reg_no, event.org_code


async def on_enterprise_updated(event: EnterpriseUpdated, uow: UnitOfWork) -> None:
    row = await uow.session.get(EnterpriseView, event.enterprise_id)
    if row is None:
        raise LookupError(f"enterprise {event.enterprise_id} not yet known")  # retried until registration lands
    row.region_code = event.region_code
    if event.residence is not None:
        row.residence = event.residence.model_dump()


async def on_residence_change_requested(event: ResidenceChangeRequested, uow: UnitOfWork) -> None:
    """The residence is part of the 备案登记表: a move of a filed enterprise is a change under review (已变更)
    that the new region's official decides; the confirmed version (and the region) stay in force meanwhile."""
    enterprise = await uow.get_for_update(EnterpriseView, event.enterprise_id)
    filing = await uow.get_for_update(Filing, event.enterprise_id)
    if enterprise is None or filing is None:
        raise LookupError(f"enterprise {event.enterprise_id} not yet known")  # retried until it lands
    enterprise.pending_region_code, enterprise.pending_street = event.region_code, event.residence["street"]
    if filing.status in lifecycle.EDITABLE:  # under review already: the move joins that review
        filing.status = lifecycle.status_after_submit(filing.status, filing.confirmed_version is not None)
        filing.version += 1
    filing.submitted_at = filing.updated_at = event.requested_at
    uow.session.add(FilingEvent(enterprise_id=filing.enterprise_id, version=filing.version, action="move",
                                actor=event.enterprise_id, reason=event.region_code))


async def on_official_changed(event: OfficialChanged, uow: UnitOfWork) -> None:
    """Last writer wins by identity's clock, so a late or redelivered older event changes nothing. Identity's
    PATCH of the right waits for the confirmation emitted here (committed with the projection)."""
    uow.emit(ReviewRightApplied(official_id=event.official_id, changed_at=event.changed_at))
    changed_at = event.changed_at.timestamp()
    row = await uow.session.get(OfficialView, event.official_id)
    if row is None:
        row = OfficialView(official_id=event.official_id)
        uow.session.add(row)
    elif row.changed_at is not None and row.changed_at > changed_at:
        return
    row.region_code, row.can_review, row.changed_at = event.region_code, event.can_review, changed_at
