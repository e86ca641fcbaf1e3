"""Officials: the region's filings, a change's diff, confirm, reject and revoke (备案信息确认、注销)."""
from __future__ import annotations

from typing import get_args

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..usecases.region_filings import filing_under_review, filings_page
from ..usecases.review import confirm_filing, reject_filing, revoke_filing
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
    page, total = await filings_page(uow, principal, status, q, region_code, params)
    return Page(items=[summary(f, e) for f, e in page], total=total, **params.model_dump())


@router.get("/{enterprise_id}", response_model=FilingDetail, summary="备案信息详情（已变更时含逐项差异）")
async def get_filing(enterprise_id: str, principal: Principal = Depends(officials), uow: UnitOfWork = Depends(get_uow)):
    found = await filing_under_review(uow, principal, enterprise_id)
    filing, enterprise, media, diff = found.filing, found.enterprise, found.media, found.diff
    if enterprise.pending_region_code:
        diff.insert(0, residence_change(enterprise))
    out = filing_out(enterprise_id, filing, media).model_copy(update={"media": in_force_media(filing, media)})
    return FilingDetail(**out.model_dump(), enterprise=summary(filing, enterprise),
                        brands=brand_choices(filing.data, found.names),
                        confirmed_media=confirmed_links(enterprise_id, filing), diff=diff,
                        history=[{"version": h.version, "action": h.action, "actor": h.actor,
                                             "reason": h.reason, "at": h.at} for h in found.history])


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
