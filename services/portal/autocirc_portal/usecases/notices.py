"""Notices and their attachments: the page of a category, one notice, publishing, withdrawing, attaching a file
(stored in the blob store first, its row in the caller's unit of work; the caller commits)."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import BlobNotFound, BlobStore, content_key
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select

from ..models import Attachment, Notice


async def files_of(uow: UnitOfWork, notice_ids: list[str]) -> dict[str, list[Attachment]]:
    by_notice: dict[str, list[Attachment]] = {i: [] for i in notice_ids}
    if notice_ids:
        rows = await uow.session.scalars(select(Attachment).where(Attachment.notice_id.in_(notice_ids))
                                         .order_by(Attachment.uploaded_at))
        for a in rows:
            by_notice[a.notice_id].append(a)
    return by_notice


async def notice_page(uow: UnitOfWork, category: str | None, region_code: str | None, params: PageParams
                      ) -> tuple[list[Notice], dict[str, list[Attachment]], int]:
    """One page of notices, newest first, with their attachments, and the total."""
    query = select(Notice).order_by(Notice.published_at.desc(), Notice.id)
    if category:
        query = query.where(Notice.category == category)
    if region_code:
        query = query.where(Notice.region_code == region_code)
    items, total = await paginate(uow.session, query, params)
    return items, await files_of(uow, [n.id for n in items]), total


async def notice_of(uow: UnitOfWork, notice_id: str) -> Notice:
    notice = await uow.session.get(Notice, notice_id)
    if notice is None:
        raise not_found("信息")
    return notice


def publish(uow: UnitOfWork, principal: Principal, region: str, category: str, title: str, html: str) -> Notice:
    now = datetime.now(UTC)
    notice = Notice(category=category, title=title, body=html, region_code=region,
                    author_id=principal.account_id, published_at=now, updated_at=now)
    uow.session.add(notice)
    return notice


async def withdraw(uow: UnitOfWork, notice: Notice) -> None:
    """The notice and its attachments' rows (the files stay: content-addressed, maybe shared)."""
    for a in (await files_of(uow, [notice.id]))[notice.id]:
        await uow.session.delete(a)
    await uow.session.delete(notice)


async def attach(uow: UnitOfWork, blobs: BlobStore, notice: Notice, filename: str, content_type: str,
                 data: bytes) -> Attachment:
    key, digest = content_key(data)
    await blobs.put(key, data, content_type)
    row = Attachment(notice_id=notice.id, filename=filename, content_type=content_type, size=len(data),
                     sha256=digest, key=key, uploaded_at=datetime.now(UTC))
    uow.session.add(row)
    return row


async def attachment_of(uow: UnitOfWork, blobs: BlobStore, notice_id: str, attachment_id: str
                        ) -> tuple[Attachment, bytes]:
    row = await uow.session.get(Attachment, attachment_id)
    if row is None or row.notice_id != notice_id:
        raise not_found("附件")
    try:
        data = await blobs.get(row.key)
    except BlobNotFound:
        raise AppError(404, "not_found", "附件文件不存在") from None
    return row, data
