"""Officials' decisions on a filing: confirm, reject, revoke (备案信息确认、退回、注销), each in the caller's unit
of work (the caller commits): the state change, its history row, its event and its audit entry together."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingRevoked, MediaRef
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..domain import lifecycle
from ..domain.access import ensure_can_review
from ..domain.police_record import police_record
from ..models.filings import EnterpriseView, Filing, FilingEvent, OfficialView
from .reads import media_of


async def in_region(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> tuple[Filing, EnterpriseView]:
    filing = await uow.session.get(Filing, enterprise_id)
    enterprise = await uow.session.get(EnterpriseView, enterprise_id)
    if filing is None or enterprise is None:
        raise not_found("备案信息")
    if not (covers(principal, enterprise.region_code)
            or (enterprise.pending_region_code and covers(principal, enterprise.pending_region_code))):
        raise AppError(403, "region.forbidden", "该企业不在您的管辖区域内")
    return filing, enterprise


async def for_review(uow: UnitOfWork, principal: Principal, enterprise_id: str,
                     allowed=lifecycle.ensure_reviewable) -> tuple[Filing, EnterpriseView]:
    """The filing, locked, if this official may decide on it and its state allows the decision."""
    filing, enterprise = await in_region(uow, principal, enterprise_id)
    ensure_can_review(principal, await uow.session.get(OfficialView, principal.account_id), enterprise.review_region)
    await uow.refresh_for_update(filing)  # concurrent reviews in turn: the second sees the first's outcome
    allowed(filing.status)
    return filing, enterprise


async def confirm_filing(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> None:
    filing, enterprise = await for_review(uow, principal, enterprise_id)
    await uow.refresh_for_update(enterprise)
    if enterprise.pending_region_code:  # the move is confirmed: from now on the enterprise is the new region's
        enterprise.region_code, enterprise.pending_region_code, enterprise.pending_street = (
            enterprise.pending_region_code, None, None)
    now = datetime.now(UTC)
    media = await media_of(uow, enterprise_id)
    refs = [MediaRef(kind=m.kind, sha256=m.sha256, key=m.key, content_type=m.content_type, size=m.size) for m in media]
    before = {r["kind"]: r["sha256"] for r in (filing.confirmed_media or [])}
    changed = [r.kind for r in refs if before.get(r.kind) != r.sha256]
    is_change = filing.status == "changed"
    filing.status, filing.confirmed_data, filing.confirmed_version = "confirmed", filing.data, filing.version
    shapes = {m.kind: {"width": m.width, "height": m.height, "uploaded_at": m.uploaded_at.isoformat()} for m in media}
    filing.confirmed_media = [{**r.model_dump(), **shapes[r.kind]} for r in refs]
    filing.confirmed_at, filing.reviewed_at, filing.reviewed_by, filing.review_reason = now, now, principal.account_id, None
    for m in media:  # on its way again (also an earlier image put back): the old receipt is not this delivery's
        if m.kind in changed:
            m.police_status, m.police_sha256, m.police_attempts = "pending", m.sha256, 0
            m.police_receipt_id, m.police_last_error = None, None
    uow.session.add(FilingEvent(enterprise_id=enterprise_id, version=filing.version, action="confirm",
                                actor=principal.account_id, data=filing.data))
    uow.emit(FilingConfirmed(enterprise_id=enterprise_id, version=filing.version, enterprise_name=enterprise.name,
                             uscc=enterprise.uscc, business_licence_no=enterprise.business_licence_no,
                             types=enterprise.types, region_code=enterprise.region_code, media=refs,
                             brands=filing.data.get("brands", []),
                             business_area_m2=filing.data.get("business_area_m2"),
                             resident_merchant_count=filing.data.get("resident_merchant_count"),
                             changed_media=changed, confirmed_at=now, confirmed_by=principal.account_id,
                             is_change=is_change, record=police_record(filing.data, principal.region_code)))
    await record_audit(uow, principal, "filing.confirm", f"enterprise:{enterprise_id}", enterprise.region_code,
                       {"enterprise_name": enterprise.name, "version": filing.version})


async def reject_filing(uow: UnitOfWork, principal: Principal, enterprise_id: str, reason: str) -> None:
    filing, enterprise = await for_review(uow, principal, enterprise_id)
    enterprise.pending_region_code = enterprise.pending_street = None  # a rejected move: it stays where it was
    now = datetime.now(UTC)
    filing.status, filing.review_reason = "rejected", reason
    filing.reviewed_at, filing.reviewed_by = now, principal.account_id
    uow.session.add(FilingEvent(enterprise_id=enterprise_id, version=filing.version, action="reject",
                                actor=principal.account_id, reason=filing.review_reason))
    uow.emit(FilingRejected(enterprise_id=enterprise_id, version=filing.version, reason=filing.review_reason,
                            rejected_at=now))
    await record_audit(uow, principal, "filing.reject", f"enterprise:{enterprise_id}", enterprise.region_code,
                       {"enterprise_name": enterprise.name, "version": filing.version, "reason": filing.review_reason})


async def revoke_filing(uow: UnitOfWork, principal: Principal, enterprise_id: str, reason: str) -> None:
    """Nothing stays in force: entry and reports stop (their gates learn it from ``filing.revoked.v1``),
    the police receive a ``revoked`` record, and the enterprise may submit a new filing."""
    if not reason:
        raise field_errors(422, [FieldError(field="reason", code="field.required", message="请填写注销原因")])
    filing, enterprise = await for_review(uow, principal, enterprise_id, lifecycle.ensure_revocable)
    now = datetime.now(UTC)
    revoked_version, revoked_data = filing.confirmed_version or filing.version, filing.confirmed_data
    media = [MediaRef.model_validate(r) for r in (filing.confirmed_media or [])]
    filing.version += 1  # newer than every confirmation: consumers order the two by version
    filing.status, filing.review_reason = "revoked", reason
    filing.reviewed_at, filing.reviewed_by = now, principal.account_id
    confirmed_at = filing.confirmed_at
    filing.confirmed_data = filing.confirmed_version = filing.confirmed_media = filing.confirmed_at = None
    uow.session.add(FilingEvent(enterprise_id=enterprise_id, version=filing.version, action="revoke",
                                actor=principal.account_id, reason=reason, data=revoked_data))
    uow.emit(FilingRevoked(enterprise_id=enterprise_id, version=filing.version, revoked_version=revoked_version,
                           enterprise_name=enterprise.name, uscc=enterprise.uscc,
                           business_licence_no=enterprise.business_licence_no, types=enterprise.types,
                           region_code=enterprise.region_code, media=media, reason=reason, revoked_at=now,
                           revoked_by=principal.account_id, confirmed_at=confirmed_at,
                           record=police_record(revoked_data, principal.region_code)))
    await record_audit(uow, principal, "filing.revoke", f"enterprise:{enterprise_id}", enterprise.region_code,
                       {"enterprise_name": enterprise.name, "version": revoked_version, "reason": reason})
