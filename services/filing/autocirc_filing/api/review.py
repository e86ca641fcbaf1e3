"""Officials: the region's filings, a change's diff, confirm, reject and revoke (备案信息确认、注销)."""
from __future__ import annotations

from typing import get_args

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.text_search import contains_text
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Depends, Query
from sqlalchemy import or_, select

from ..domain.diff import filing_diff
from ..models.filings import EnterpriseView, Filing, FilingEvent, FilingMedia
from ..usecases.reads import brand_names, media_of
from ..usecases.review import confirm_filing, in_region, reject_filing, revoke_filing
from .schemas import FilingDetail, FilingSummary, RejectIn, RevokeIn, Status
from .views import brand_choices, confirmed_links, filing_out, in_force_media, residence_change, summary

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


@router.get("/{enterprise_id}", response_model=FilingDetail, summary="备案信息详情（已变更时含逐项差异）")
async def get_filing(enterprise_id: str, principal: Principal = Depends(officials), uow: UnitOfWork = Depends(get_uow)):
    filing, enterprise = await in_region(uow, principal, enterprise_id)
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


@router.post("/{enterprise_id}/confirm", response_model=FilingDetail, summary="确认通过")
async def confirm(enterprise_id: str, principal: Principal = Depends(officials), uow: UnitOfWork = Depends(get_uow)):
    await confirm_filing(uow, principal, enterprise_id)
    await uow.commit()
    return await get_filing(enterprise_id, principal, uow)


@router.post("/{enterprise_id}/reject", response_model=FilingDetail, summary="退回（须填写原因）")
async def reject(enterprise_id: str, body: RejectIn, principal: Principal = Depends(officials),
                 uow: UnitOfWork = Depends(get_uow)):
    await reject_filing(uow, principal, enterprise_id, body.reason.strip())
    await uow.commit()
    return await get_filing(enterprise_id, principal, uow)


@router.post("/{enterprise_id}/revoke", response_model=FilingDetail, summary="注销备案（须填写原因）",
             responses={403: {"description": "无审核权限或不在管辖区域"},
                        409: {"description": "只能注销已确认（含变更审核中）的备案"}})
async def revoke(enterprise_id: str, body: RevokeIn, principal: Principal = Depends(officials),
                 uow: UnitOfWork = Depends(get_uow)):
    """Nothing stays in force: entry and reports stop (their gates learn it from ``filing.revoked.v1``),
    the police receive a ``revoked`` record, and the enterprise may submit a new filing."""
    await revoke_filing(uow, principal, enterprise_id, body.reason.strip())
    await uow.commit()
    return await get_filing(enterprise_id, principal, uow)
