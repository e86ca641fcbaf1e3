"""What a police clerk sees of an enterprise: the newest filing record media-sync queued for the police
(confirmed, changed or revoked) and its images, and where each image is kept."""
from __future__ import annotations

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models import Delivery
from .deliveries import RECORD


async def newest_record(uow: UnitOfWork, uscc: str) -> Delivery | None:
    return await uow.session.scalar(
        select(Delivery).where(Delivery.uscc == uscc, Delivery.kind == RECORD)
        .order_by(Delivery.filing_version.desc(), Delivery.created_at.desc()).limit(1))


async def image_delivery(uow: UnitOfWork, record: Delivery, kind: str) -> Delivery | None:
    """The delivery holding the record's image of ``kind`` (its blob), if the record names one."""
    sha256 = next((i["sha256"] for i in (record.payload or {}).get("images", []) if i.get("kind") == kind), None)
    if sha256 is None:
        return None
    return await uow.session.scalar(
        select(Delivery).where(Delivery.enterprise_id == record.enterprise_id, Delivery.kind == kind,
                               Delivery.sha256 == sha256).limit(1))
