"""The enterprise's own filing: read, save the draft, upload images, submit."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import content_key
from autocirc_shared.errors import AppError, field_errors
from autocirc_shared.events.filing import FilingChanged, FilingSubmitted
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, File, Request, UploadFile

from ..domain import lifecycle, rules
from ..domain.diff import changed_fields
from ..domain.form import FilingData
from ..domain.images import MAX_BYTES, clean_image, too_large
from ..models.filings import EnterpriseView, Filing, FilingEvent, FilingMedia
from ..usecases.catalogue_choices import catalogue_errors
from ..usecases.reads import enterprise_of, media_of
from .schemas import FilingIn, FilingOut, MediaOut, UploadOut
from .views import filing_out, media_out, registration_prefill

router = APIRouter(prefix="/api/v1/filing", tags=["filing"])
enterprise_only = require_kind("enterprise")


def _today(request: Request):
    return request.app.state.runtime.settings.today_date()


async def _filing_for_update(uow: UnitOfWork, enterprise_id: str) -> Filing:
    filing = await uow.get_for_update(Filing, enterprise_id)  # serialise concurrent saves/submits
    if filing is None:
        known = await uow.session.get(EnterpriseView, enterprise_id)
        filing = Filing(enterprise_id=enterprise_id, status="draft", version=0, data=registration_prefill(known))
        uow.session.add(filing)
    return filing


@router.get("", response_model=FilingOut, summary="本企业备案信息")
async def get_filing(principal: Principal = Depends(enterprise_only), uow: UnitOfWork = Depends(get_uow)):
    filing = await uow.session.get(Filing, principal.enterprise_id)
    known = await uow.session.get(EnterpriseView, principal.enterprise_id)
    return filing_out(principal.enterprise_id, filing, await media_of(uow.session, principal.enterprise_id), known)


@router.put("", response_model=FilingOut, summary="保存备案信息（草稿，可部分填写）")
async def save_filing(body: FilingIn, request: Request, principal: Principal = Depends(enterprise_only),
                      uow: UnitOfWork = Depends(get_uow)):
    filing = await _filing_for_update(uow, principal.enterprise_id)
    lifecycle.ensure_editable(filing.status)
    merged = FilingData.model_validate({**filing.data, **body.data.model_dump(mode="json", exclude_unset=True)})
    errors = rules.shape_errors(merged, _today(request)) + await catalogue_errors(uow.session, merged)
    if errors:
        raise field_errors(422, errors)
    filing.data = merged.model_dump(mode="json")
    filing.updated_at = datetime.now(UTC)
    uow.session.add(FilingEvent(enterprise_id=filing.enterprise_id, version=filing.version, action="save",
                                actor=principal.account_id, data=filing.data))
    await uow.commit()
    return filing_out(filing.enterprise_id, filing, await media_of(uow.session, filing.enterprise_id))


@router.post("/submit", response_model=FilingOut, summary="提交备案信息（确认通过后再次提交即为变更）")
async def submit_filing(request: Request, principal: Principal = Depends(enterprise_only),
                        uow: UnitOfWork = Depends(get_uow)):
    filing = await _filing_for_update(uow, principal.enterprise_id)
    enterprise = await enterprise_of(uow.session, principal)
    media = await media_of(uow.session, filing.enterprise_id)
    new_status = lifecycle.status_after_submit(filing.status, filing.confirmed_version is not None)
    data = FilingData.model_validate(filing.data)
    errors = (rules.submit_errors(data, enterprise.types, {m.kind for m in media}, _today(request))
              + await catalogue_errors(uow.session, data))
    if errors:
        raise AppError(422, "filing.incomplete", "备案信息不完整或有误，请按提示修改后再提交", errors)
    now = datetime.now(UTC)
    filing.status, filing.version, filing.submitted_at = new_status, filing.version + 1, now
    filing.review_reason = None
    uow.session.add(FilingEvent(enterprise_id=filing.enterprise_id, version=filing.version, action="submit",
                                actor=principal.account_id, data=filing.data))
    uow.emit(FilingSubmitted(enterprise_id=filing.enterprise_id, version=filing.version, status=new_status,
                             region_code=enterprise.region_code, submitted_at=now))
    if new_status == "changed":
        uow.emit(FilingChanged(enterprise_id=filing.enterprise_id, version=filing.version,
                               changed_fields=changed_fields(filing.confirmed_data, filing.data), changed_at=now))
    await uow.commit()
    return filing_out(filing.enterprise_id, filing, media)


@router.get("/media", response_model=list[MediaOut], summary="营业执照及公章影像（含同步公安交管状态）")
async def list_media(principal: Principal = Depends(enterprise_only), uow: UnitOfWork = Depends(get_uow)):
    filing = await uow.session.get(Filing, principal.enterprise_id)
    return [media_out(m, filing) for m in await media_of(uow.session, principal.enterprise_id)]


def _keep_confirmed_delivery(filing: Filing, row: FilingMedia, digest: str) -> None:
    """Replacing a confirmed image starts a change; the confirmed image stays in force with the police status it had."""
    if row.sha256 is None or row.sha256 == digest or not filing.confirmed_media:
        return
    filing.confirmed_media = [{**ref, "police_status": row.police_status}
                              if ref["kind"] == row.kind and ref["sha256"] == row.sha256 and row.police_sha256 == row.sha256
                              else ref for ref in filing.confirmed_media]


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
    filing = await _filing_for_update(uow, principal.enterprise_id)
    lifecycle.ensure_editable(filing.status)
    key, digest = content_key(image.data)
    await request.app.state.blobs.put(key, image.data, image.content_type)
    row = await uow.session.get(FilingMedia, (principal.enterprise_id, kind))
    if row is None:
        row = FilingMedia(enterprise_id=principal.enterprise_id, kind=kind)
        uow.session.add(row)
    _keep_confirmed_delivery(filing, row, digest)
    row.sha256, row.key, row.content_type, row.size = digest, key, image.content_type, len(image.data)
    row.width, row.height, row.uploaded_at = image.width, image.height, datetime.now(UTC)
    row.police_attempts = row.police_attempts or 0
    await uow.commit()
    return UploadOut(kind=kind, sha256=digest, size=len(image.data), width=image.width, height=image.height,
                     content_type=image.content_type)
