from __future__ import annotations

import logging

from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..usecases.deliveries import queue_confirmed_media, queue_revocation

log = logging.getLogger(__name__)


async def on_filing_confirmed(event: FilingConfirmed, uow: UnitOfWork) -> None:
    queued = await queue_confirmed_media(uow, event)
    log.info("filing %s v%d confirmed: %d message(s) queued for the police", event.enterprise_id, event.version, queued)


async def on_filing_revoked(event: FilingRevoked, uow: UnitOfWork) -> None:
    queued = await queue_revocation(uow, event)
    log.info("filing %s v%d revoked: record %s for the police", event.enterprise_id, event.version,
             "queued" if queued else "already queued or superseded")
