"""The merged audit feed: each service's entries, once each (entry_id is unique)."""
from __future__ import annotations

from autocirc_shared.events.audit import AuditRecorded
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import insert_for

from ..models import audit_feed


async def on_audit_recorded(event: AuditRecorded, uow: UnitOfWork) -> None:
    row = {**event.model_dump(), "details": event.model_dump(mode="json")["details"]}
    await uow.session.execute(insert_for(uow.session, audit_feed).values(**row)
                              .on_conflict_do_nothing(index_elements=["entry_id"]))
