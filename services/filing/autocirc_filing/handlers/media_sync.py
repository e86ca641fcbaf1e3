"""How each image's delivery to the traffic police went, shown on the filing."""
from __future__ import annotations

from autocirc_shared.clock import as_utc
from autocirc_shared.events.media_sync import MediaDeliveryUpdated
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..models.filings import FilingMedia


async def on_delivery_updated(event: MediaDeliveryUpdated, uow: UnitOfWork) -> None:
    row = await uow.session.get(FilingMedia, (event.enterprise_id, event.kind))
    if row is None or row.sha256 != event.sha256:
        return  # the image was replaced since; its own delivery will report
    if row.police_updated_at is not None and as_utc(row.police_updated_at) > event.updated_at:
        return  # an older update arriving late changes nothing
    row.police_status, row.police_sha256 = event.status, event.sha256
    row.police_receipt_id, row.police_attempts = event.receipt_id, event.attempts
    row.police_last_error, row.police_updated_at = event.last_error, event.updated_at
