"""Officials: the region's filings, a change's diff, confirm, reject and revoke (备案信息确认、注销)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingRevoked, MediaRef
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.text_search import contains_text
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Depends, Query
from sqlalchemy import or_, select

from ..domain import lifecycle
from ..domain.access import ensure_can_review
from ..domain.diff import filing_diff
from ..domain.police_record import police_record
from ..models.filings import EnterpriseView, Filing, FilingEvent, FilingMedia, OfficialView
from .schemas import FilingDetail, FilingSummary, RejectIn, RevokeIn, Status
from .views import (
    brand_choices,
    brand_names,
    confirmed_links,
    filing_out,
    in_force_media,
    media_of,
    residence_change,
    summary,
)

router = APIRouter(prefix="/api/v1/filings", tags=["filing"])
officials = require_kind("official", "admin")


@router.get("", response_model=Page[FilingSummary],
            summary="辖区内备案信息列表（不含从未提交的草稿；最近提交的在前）")
async def list_filings(status: str | None = Query(None, max_length=16, description="状态（从未提交的草稿不在列表中）"),
                       q: str | None = Query(None, max_length=100, description="企业名称或信用代码"),
                       region_code: str | None = Query(None, max_length=6, description="地区（须在本辖区内）"),
                       principal: Principal = Depends(officials), params: PageParams = Depends(page_params),
                       uow: UnitOfWork = Depends(get_uow)):
    if status and status not in get_args(Status):
        raise field_errors(422, [FieldError(field="status", code="field.choice", message="状态取值不在允许范围内")])
    if region_code and not covers(principal, region_code):
        raise AppError(403, "region.forbidden", "所选地区不在您的管辖区域内")
    query = (select(Filing, EnterpriseView).join(EnterpriseView, EnterpriseView.enterprise_id == Filing.enterprise_id)
             .where(Filing.ever_submitted))
    if status:
        query = query.where(Filing.status == status)
    if q:
        query = query.where(contains_text(q, EnterpriseView.name, EnterpriseView.uscc))
    scope = region_code or (principal.region_code if principal.kind == "official" else None)
    if scope and (codes := codes_within(scope)) is not None:  # a move under review: both regions see it
        query = query.where(or_(EnterpriseView.region_code.in_(sorted(codes)),
                                EnterpriseView.pending_region_code.in_(sorted(codes))))
    order = (Filing.submitted_at.desc().nulls_last(), Filing.enterprise_id)
    page, total = await paginate(uow.session, query.order_by(*order), params, scalars=False)
    return Page(items=[summary(f, e) for f, e in page], total=total, **params.model_dump())


async def _in_region(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> tuple[Filing, EnterpriseView]:
    filing = await uow.session.get(Filing, enterprise_id)
    enterprise = await uow.session.get(EnterpriseView, enterprise_id)
    if filing is None or enterprise is None:
        raise not_found("备案信息")
    if not (covers(principal, enterprise.region_code)
            or (enterprise.pending_region_code and covers(principal, enterprise.pending_region_code))):
        raise AppError(403, "region.forbidden", "该企业不在您的管辖区域内")
    return filing, enterprise


@router.get("/{enterprise_id}", response_model=FilingDetail, summary="备案信息详情（已变更时含逐项差异）")
async def get_filing(enterprise_id: str, principal: Principal = Depends(officials), uow: UnitOfWork = Depends(get_uow)):
    filing, enterprise = await _in_region(uow, principal, enterprise_id)
    if not filing.ever_submitted:
        raise not_found("备案信息")  # nothing for officials yet
    media = await media_of(uow.session, enterprise_id)
    history = (await uow.session.scalars(select(FilingEvent).where(
        FilingEvent.enterprise_id == enterprise_id, FilingEvent.action != "save").order_by(FilingEvent.id))).all()
    diff = await _diff(uow, filing, media) if filing.status == "changed" else []
    if enterprise.pending_region_code:
        diff.insert(0, residence_change(enterprise))
    out = filing_out(enterprise_id, filing, media).model_copy(update={"media": in_force_media(filing, media)})
    return FilingDetail(**out.model_dump(), enterprise=summary(filing, enterprise),
                        brands=brand_choices(filing.data, await brand_names(uow.session, filing.data)),
                        confirmed_media=confirmed_links(enterprise_id, filing), diff=diff,
                        history=[{"version": h.version, "action": h.action, "actor": h.actor,
                                             "reason": h.reason, "at": h.at} for h in history])


async def _diff(uow: UnitOfWork, filing: Filing, media: list[FilingMedia]) -> list[dict]:
    """The change against the last confirmed version, images included, brands by name."""
    names = await brand_names(uow.session, filing.confirmed_data, filing.data)
    before = None if filing.confirmed_media is None else {r["kind"]: r["sha256"] for r in filing.confirmed_media}
    return filing_diff(filing.confirmed_data, filing.data, media_before=before,
                       media_after={m.kind: m.sha256 for m in media}, names=names)


async def _for_review(uow: UnitOfWork, principal: Principal, enterprise_id: str,
                      allowed=lifecycle.ensure_reviewable) -> tuple[Filing, EnterpriseView]:
    """The filing, locked, if this official may decide on it and its state allows the decision."""
    filing, enterprise = await _in_region(uow, principal, enterprise_id)
    ensure_can_review(principal, await uow.session.get(OfficialView, principal.account_id), enterprise.review_region)
    await uow.refresh_for_update(filing)  # concurrent reviews in turn: the second sees the first's outcome
    allowed(filing.status)
    return filing, enterprise


@router.post("/{enterprise_id}/confirm", response_model=FilingDetail, summary="确认通过")
async def confirm(enterprise_id: str, principal: Principal = Depends(officials), uow: UnitOfWork = Depends(get_uow)):
    filing, enterprise = await _for_review(uow, principal, enterprise_id)
    await uow.refresh_for_update(enterprise)
    if enterprise.pending_region_code:  # the move is confirmed: from now on the enterprise is the new region's
        enterprise.region_code, enterprise.pending_region_code, enterprise.pending_street = (
            enterprise.pending_region_code, None, None)
    now = datetime.now(UTC)
    media = await media_of(uow.session, enterprise_id)
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
    await uow.commit()
    return await get_filing(enterprise_id, principal, uow)


@router.post("/{enterprise_id}/reject", response_model=FilingDetail, summary="退回（须填写原因）")
async def reject(enterprise_id: str, body: RejectIn, principal: Principal = Depends(officials),
                 uow: UnitOfWork = Depends(get_uow)):
    filing, enterprise = await _for_review(uow, principal, enterprise_id)
    enterprise.pending_region_code = enterprise.pending_street = None  # a rejected move: it stays where it was
    now = datetime.now(UTC)
    filing.status, filing.review_reason = "rejected", body.reason.strip()
    filing.reviewed_at, filing.reviewed_by = now, principal.account_id
    uow.session.add(FilingEvent(enterprise_id=enterprise_id, version=filing.version, action="reject",
                                actor=principal.account_id, reason=filing.review_reason))
    uow.emit(FilingRejected(enterprise_id=enterprise_id, version=filing.version, reason=filing.review_reason,
                            rejected_at=now))
    await record_audit(uow, principal, "filing.reject", f"enterprise:{enterprise_id}", enterprise.region_code,
                       {"enterprise_name": enterprise.name, "version": filing.version, "reason": filing.review_reason})
    await uow.commit()
    return await get_filing(enterprise_id, principal, uow)


@router.post("/{enterprise_id}/revoke", response_model=FilingDetail, summary="注销备案（须填写原因）",
             responses={403: {"description": "无审核权限或不在管辖区域"},
                        409: {"description": "只能注销已确认（含变更审核中）的备案"}})
async def revoke(enterprise_id: str, body: RevokeIn, principal: Principal = Depends(officials),
                 uow: UnitOfWork = Depends(get_uow)):
    """Nothing stays in force: entry and reports stop (their gates learn it from ``filing.revoked.v1``),
    the police receive a ``revoked`` record, and the enterprise may submit a new filing."""
    reason = body.reason.strip()
    if not reason:
        raise field_errors(422, [FieldError(field="reason", code="field.required", message="请填写注销原因")])
    filing, enterprise = await _for_review(uow, principal, enterprise_id, lifecycle.ensure_revocable)
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
    await uow.commit()
    return await get_filing(enterprise_id, principal, uow)
