"""Reading a filing and shaping it for responses (shared by the enterprise and review routes)."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.refdata.regions import full_name
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.catalog_projection import ProjectedBrand, ProjectedManufacturer
from ..models.filings import EnterpriseView, Filing, FilingMedia
from .schemas import FilingOut, FilingSummary, MediaOut, PoliceSync, Registered


async def media_of(session: AsyncSession, enterprise_id: str) -> list[FilingMedia]:
    return list((await session.scalars(
        select(FilingMedia).where(FilingMedia.enterprise_id == enterprise_id).order_by(FilingMedia.kind))).all())


async def brand_names(session: AsyncSession, *datas: dict | None) -> dict[str, str]:
    """Names of the brands and manufacturers these filing versions chose, from the catalogue projection."""
    ids = {choice.get(key) for data in datas for choice in ((data or {}).get("brands") or [])
           if isinstance(choice, dict) for key in ("brand_id", "manufacturer_id")} - {None}
    names: dict[str, str] = {}
    if ids:
        for model in (ProjectedBrand, ProjectedManufacturer):
            names.update((await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())
    return names


def police_sync(m: FilingMedia) -> PoliceSync:
    if m.police_sha256 == m.sha256 and m.police_status:
        return PoliceSync(status=m.police_status, receipt_id=m.police_receipt_id, attempts=m.police_attempts,
                          last_error=m.police_last_error)
    return PoliceSync(status="pending")


def media_out(m: FilingMedia) -> MediaOut:
    return MediaOut(kind=m.kind, sha256=m.sha256, size=m.size, width=m.width, height=m.height,
                    content_type=m.content_type, uploaded_at=m.uploaded_at, police_sync=police_sync(m))


def registration_prefill(enterprise: EnterpriseView | None) -> dict:
    """A never-saved filing starts from what registration already said (residence, filler)."""
    if enterprise is None:
        return {}
    data: dict = {}
    if enterprise.residence:
        data["residence"] = dict(enterprise.residence)
    if enterprise.filler_name:
        data["filler"] = {"name": enterprise.filler_name}
    return data


def registered(enterprise: EnterpriseView | None) -> Registered | None:
    if enterprise is None:
        return None
    return Registered(name=enterprise.name, uscc=enterprise.uscc, business_licence_no=enterprise.business_licence_no,
                      types=list(enterprise.types))


def filing_out(enterprise_id: str, filing: Filing | None, media: list[FilingMedia],
               enterprise: EnterpriseView | None = None) -> FilingOut:
    if filing is None:
        return FilingOut(enterprise_id=enterprise_id, status="draft", version=0, data=registration_prefill(enterprise),
                         confirmed=None, media=[media_out(m) for m in media], registered=registered(enterprise))
    return FilingOut(
        enterprise_id=enterprise_id, status=filing.status, version=filing.version, data=filing.data,
        confirmed=filing.confirmed_data, confirmed_version=filing.confirmed_version,
        review={"reason": filing.review_reason} if filing.status == "rejected" or filing.review_reason else None,
        media=[media_out(m) for m in media], registered=registered(enterprise))


def summary(filing: Filing, enterprise: EnterpriseView) -> FilingSummary:
    return FilingSummary(enterprise_id=filing.enterprise_id, enterprise_name=enterprise.name, uscc=enterprise.uscc,
                         types=enterprise.types, region_code=enterprise.region_code,
                         region_name=full_name(enterprise.region_code), status=filing.status,
                         version=filing.version, submitted_at=filing.submitted_at)


async def enterprise_of(session: AsyncSession, principal: Principal) -> EnterpriseView:
    """The enterprise as identity announced it; until that event arrives, what the token says."""
    found = await session.get(EnterpriseView, principal.enterprise_id)
    if found is not None:
        return found
    return EnterpriseView(enterprise_id=principal.enterprise_id, name="", uscc=None, business_licence_no=None,
                          types=list(principal.types), region_code=principal.region_code or "")


def residence_change(enterprise: EnterpriseView) -> dict:
    """The requested move as a line of the reviewer's diff (the residence is part of the 备案登记表)."""
    return {"field": "residence", "label": "住所（迁移，待新住所地主管部门确认）",
            "before": full_name(enterprise.region_code),
            "after": full_name(enterprise.pending_region_code) + (enterprise.pending_street or "")}
