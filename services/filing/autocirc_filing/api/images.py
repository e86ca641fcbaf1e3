"""The licence and seal images themselves, for the enterprise that uploaded them and the officials of its region."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Path, Request, Response

from ..usecases.images import read_image

router = APIRouter(prefix="/api/v1/filings", tags=["filing"])


@router.get("/{enterprise_id}/media/{sha256}", response_class=Response, summary="查看营业执照或公章影像",
            responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}})
async def image(request: Request, enterprise_id: str,
                sha256: str = Path(pattern="^[0-9a-f]{64}$", description="影像的 SHA-256"),
                principal: Principal = Depends(require_kind("enterprise", "official")),
                uow: UnitOfWork = Depends(get_uow)):
    if principal.kind == "enterprise" and principal.enterprise_id != enterprise_id:
        raise not_found("影像")
    data, content_type = await read_image(uow, request.app.state.blobs, principal, enterprise_id, sha256)
    return Response(data, media_type=content_type, headers={
        "Cache-Control": "private, max-age=86400, immutable", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'"})
