"""The message centre (消息): a recipient's page of notifications and marking one read (the caller commits)."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.errors import not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select

from ..models import Notification


async def notification_page(uow: UnitOfWork, recipient_id: str, unread: bool, params: PageParams
                            ) -> tuple[list[Notification], int]:
    """One page of the recipient's notifications (only the unread ones, if asked), newest first, and the total."""
    query = (select(Notification).where(Notification.recipient_id == recipient_id)
             .order_by(Notification.created_at.desc(), Notification.id))
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return await paginate(uow.session, query, params)


async def read_notification(uow: UnitOfWork, recipient_id: str, notification_id: str) -> bool:
    """Whether the recipient's notification was unread and is read now; 404 when it is not the recipient's."""
    row = await uow.session.get(Notification, notification_id)
    if row is None or row.recipient_id != recipient_id:
        raise not_found("消息")
    if row.read_at is not None:
        return False
    row.read_at = datetime.now(UTC)
    return True
