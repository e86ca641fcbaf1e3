"""The licence and seal images themselves, for the enterprise that uploaded them and the officials of its region."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import BlobNotFound
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy import select

from ..models.filings import EnterpriseView, Filing, FilingMedia

router = APIRouter(prefix="/api/v1/filings", tags=["filing"])


@router.get("/{enterprise_id}/media/{sha256}", response_class=Response, summary="查看营业执照或公章影像",
            responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}})
async def image(request: Request, enterprise_id: str,
                sha256: str = Path(pattern="^[0-9a-f]{64}$", description="影像的 SHA-256"),
                principal: Principal = Depends(require_kind("enterprise", "official")),
                uow: UnitOfWork = Depends(get_uow)):
    if principal.kind == "enterprise" and principal.enterprise_id != enterprise_id:
        raise not_found("影像")
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
        data = await request.app.state.blobs.get(key)
    except BlobNotFound:
        raise not_found("影像") from None
    return Response(data, media_type=content_type, headers={
        "Cache-Control": "private, max-age=86400, immutable", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'"})


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
