"""The licence and seal images themselves, for the enterprise that uploaded them and the officials of its region."""
from __future__ import annotations

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import BlobNotFound, BlobStore
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models.filings import EnterpriseView, Filing, FilingMedia


async def read_image(uow: UnitOfWork, blobs: BlobStore, principal: Principal, enterprise_id: str, sha256: str
                     ) -> tuple[bytes, str]:
    """The image's bytes and content type; 404 for what this reader may not see, 403 outside an official's region."""
    if principal.kind == "official":
        enterprise = await uow.session.get(EnterpriseView, enterprise_id)
        if enterprise is None:
            raise not_found("影像")
        if not covers(principal, enterprise.region_code):
            raise AppError(403, "region.forbidden", "该企业不在您的管辖区域内")
    ref = await _image_of(uow, enterprise_id, sha256, officials=principal.kind == "official")
    if ref is None:
        raise not_found("影像")
    key, content_type = ref
    try:
        return await blobs.get(key), content_type
    except BlobNotFound:
        raise not_found("影像") from None


async def _image_of(uow: UnitOfWork, enterprise_id: str, sha256: str, officials: bool) -> tuple[str, str] | None:
    """One of the enterprise's images: a current one or one of its last confirmed version. Officials never see a
    draft's images (as with the draft itself), nor one replaced since a confirmation until the change is submitted."""
    filing = await uow.session.get(Filing, enterprise_id)
    if filing is None or (officials and not filing.ever_submitted):
        return None
    for ref in filing.confirmed_media or []:
        if ref["sha256"] == sha256:
            return ref["key"], ref["content_type"]
    if officials and filing.status == "confirmed":
        return None  # uploaded since the confirmation and not submitted: the enterprise's work in progress
    row = await uow.session.scalar(select(FilingMedia).where(FilingMedia.enterprise_id == enterprise_id,
                                                             FilingMedia.sha256 == sha256))
    return (row.key, row.content_type) if row is not None else None
