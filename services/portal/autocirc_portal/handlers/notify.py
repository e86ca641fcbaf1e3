"""Writing a notification, and its e-mail where the recipient reserved one, in the handler's transaction."""
from __future__ import annotations

from datetime import datetime

from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..domain.messages import Message
from ..models import Contact, Notification, OutgoingMail


async def notify(uow: UnitOfWork, recipient_id: str, message: Message, at: datetime) -> None:
    uow.session.add(Notification(recipient_id=recipient_id, kind=message.kind, title=message.title,
                                 body=message.body, created_at=at))
    contact = await uow.session.get(Contact, recipient_id)
    if contact is not None and contact.email:
        uow.session.add(OutgoingMail(to=contact.email, subject=f"【全国汽车流通信息管理应用】{message.title}",
                                     text=message.body, created_at=at, attempts=0))
