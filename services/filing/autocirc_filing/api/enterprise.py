"""The enterprise's own filing: read, save the draft, upload images, submit."""
from __future__ import annotations

from typing import Literal

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, File, Request, UploadFile

from ..domain.images import MAX_BYTES, clean_image, too_large
from ..usecases.own_filing import own_filing, own_media, save_draft, store_image, submit
from ..usecases.reads import media_of
from .schemas import FilingIn, FilingOut, MediaOut, UploadOut
from .views import filing_out, media_out

router = APIRouter(prefix="/api/v1/filing", tags=["filing"])
enterprise_only = require_kind("enterprise")


def _today(request: Request):
    return request.app.state.runtime.settings.today_date()


@router.get("", response_model=FilingOut, summary="本企业备案信息")
async def get_filing(principal: Principal = Depends(enterprise_only), uow: UnitOfWork = Depends(get_uow)):
    filing, media, known = await own_filing(uow, principal)
    return filing_out(principal.enterprise_id, filing, media, known)


@router.put("", response_model=FilingOut, summary="保存备案信息（草稿，可部分填写）")
async def save_filing(body: FilingIn, request: Request, principal: Principal = Depends(enterprise_only),
                      uow: UnitOfWork = Depends(get_uow)):
    filing = await save_draft(uow, principal, body.data.model_dump(mode="json", exclude_unset=True), _today(request))
    await uow.commit()
    return filing_out(filing.enterprise_id, filing, await media_of(uow, filing.enterprise_id))


@router.post("/submit", response_model=FilingOut, summary="提交备案信息（确认通过后再次提交即为变更）")
async def submit_filing(request: Request, principal: Principal = Depends(enterprise_only),
                        uow: UnitOfWork = Depends(get_uow)):
    filing, media = await submit(uow, principal, _today(request))
    await uow.commit()
    return filing_out(filing.enterprise_id, filing, media)


@router.get("/media", response_model=list[MediaOut], summary="营业执照及公章影像（含同步公安交管状态）")
async def list_media(principal: Principal = Depends(enterprise_only), uow: UnitOfWork = Depends(get_uow)):
    filing, media = await own_media(uow, principal)
    return [media_out(m, filing) for m in media]


def _refuse_oversized_body(request: Request) -> None:
    """Refuse a huge upload by its declared length before parsing any of it."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BYTES + 64 * 1024:
        raise too_large()


@router.post("/media/{kind}", status_code=201, response_model=UploadOut, dependencies=[Depends(_refuse_oversized_body)],
             summary="上传营业执照正本/副本、公章影像（JPG/PNG，不超过300KB）",
             responses={413: {"description": "超过300KB"}, 415: {"description": "不是JPG/PNG图片"},
                        422: {"description": "图片损坏或尺寸不符"}})
async def upload_media(kind: Literal["licence_original", "licence_copy", "seal"], request: Request,
                       file: UploadFile = File(description="图片文件"),
                       principal: Principal = Depends(enterprise_only), uow: UnitOfWork = Depends(get_uow)):
    raw = await file.read(MAX_BYTES + 1)
    image = clean_image(raw)
    digest = await store_image(uow, request.app.state.blobs, principal, kind, image)
    await uow.commit()
    return UploadOut(kind=kind, sha256=digest, size=len(image.data), width=image.width, height=image.height,
                     content_type=image.content_type)
