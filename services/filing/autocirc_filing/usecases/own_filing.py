"""The enterprise's own filing: read with its images; the draft saved, an image stored, the filing submitted (each
in the caller's unit of work, the filing row locked so concurrent saves and submits go in turn; the caller commits)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import BlobStore, content_key
from autocirc_shared.errors import AppError, field_errors
from autocirc_shared.events.filing import FilingChanged, FilingSubmitted
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..domain import lifecycle, rules
from ..domain.diff import changed_fields
from ..domain.form import FilingData
from ..domain.images import CleanImage
from ..domain.prefill import registration_prefill
from ..models.filings import EnterpriseView, Filing, FilingEvent, FilingMedia
from .catalogue_choices import catalogue_errors
from .reads import enterprise_of, media_of


async def own_filing(uow: UnitOfWork, principal: Principal
                     ) -> tuple[Filing | None, list[FilingMedia], EnterpriseView | None]:
    """The enterprise's filing (None before its first save), its images and the enterprise as identity announced it."""
    filing = await uow.session.get(Filing, principal.enterprise_id)
    known = await uow.session.get(EnterpriseView, principal.enterprise_id)
    return filing, await media_of(uow, principal.enterprise_id), known


async def own_media(uow: UnitOfWork, principal: Principal) -> tuple[Filing | None, list[FilingMedia]]:
    """The enterprise's images with its filing (None before its first save), to tell which are under change."""
    filing = await uow.session.get(Filing, principal.enterprise_id)
    return filing, await media_of(uow, principal.enterprise_id)


async def filing_for_update(uow: UnitOfWork, enterprise_id: str) -> Filing:
    filing = await uow.get_for_update(Filing, enterprise_id)  # serialise concurrent saves/submits
    if filing is None:
        known = await uow.session.get(EnterpriseView, enterprise_id)
        filing = Filing(enterprise_id=enterprise_id, status="draft", version=0, data=registration_prefill(known))
        uow.session.add(filing)
    return filing


async def save_draft(uow: UnitOfWork, principal: Principal, changes: dict, today: date) -> Filing:
    """``changes`` (the fields sent) merged into the draft, once their shape and catalogue choices hold."""
    filing = await filing_for_update(uow, principal.enterprise_id)
    lifecycle.ensure_editable(filing.status)
    merged = FilingData.model_validate({**filing.data, **changes})
    errors = rules.shape_errors(merged, today) + await catalogue_errors(uow.session, merged)
    if errors:
        raise field_errors(422, errors)
    filing.data = merged.model_dump(mode="json")
    filing.updated_at = datetime.now(UTC)
    uow.session.add(FilingEvent(enterprise_id=filing.enterprise_id, version=filing.version, action="save",
                                actor=principal.account_id, data=filing.data))
    return filing


async def submit(uow: UnitOfWork, principal: Principal, today: date) -> tuple[Filing, list[FilingMedia]]:
    """The filing submitted (a change once confirmed before), with its events; 422 ``filing.incomplete``."""
    filing = await filing_for_update(uow, principal.enterprise_id)
    enterprise = await enterprise_of(uow, principal)
    media = await media_of(uow, filing.enterprise_id)
    new_status = lifecycle.status_after_submit(filing.status, filing.confirmed_version is not None)
    data = FilingData.model_validate(filing.data)
    errors = (rules.submit_errors(data, enterprise.types, {m.kind for m in media}, today)
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
    return filing, media


def _keep_confirmed_delivery(filing: Filing, row: FilingMedia, digest: str) -> None:
    """Replacing a confirmed image starts a change; the confirmed image stays in force with the police status it had."""
    if row.sha256 is None or row.sha256 == digest or not filing.confirmed_media:
        return
    filing.confirmed_media = [{**ref, "police_status": row.police_status}
                              if ref["kind"] == row.kind and ref["sha256"] == row.sha256 and row.police_sha256 == row.sha256
                              else ref for ref in filing.confirmed_media]


async def store_image(uow: UnitOfWork, blobs: BlobStore, principal: Principal, kind: str, image: CleanImage) -> str:
    """A checked image stored (blob first) as the filing's ``kind``; its SHA-256."""
    filing = await filing_for_update(uow, principal.enterprise_id)
    lifecycle.ensure_editable(filing.status)
    key, digest = content_key(image.data)
    await blobs.put(key, image.data, image.content_type)
    row = await uow.session.get(FilingMedia, (principal.enterprise_id, kind))
    if row is None:
        row = FilingMedia(enterprise_id=principal.enterprise_id, kind=kind)
        uow.session.add(row)
    _keep_confirmed_delivery(filing, row, digest)
    row.sha256, row.key, row.content_type, row.size = digest, key, image.content_type, len(image.data)
    row.width, row.height, row.uploaded_at = image.width, image.height, datetime.now(UTC)
    row.police_attempts = row.police_attempts or 0
    return digest
