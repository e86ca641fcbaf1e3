"""Reads of a filing shared by the enterprise and review routes: its images, its brands' names, the enterprise."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.catalog_projection import ProjectedBrand, ProjectedManufacturer
from ..models.filings import EnterpriseView, FilingMedia


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


async def enterprise_of(session: AsyncSession, principal: Principal) -> EnterpriseView:
    """The enterprise as identity announced it; until that event arrives, what the token says."""
    found = await session.get(EnterpriseView, principal.enterprise_id)
    if found is not None:
        return found
    return EnterpriseView(enterprise_id=principal.enterprise_id, name="", uscc=None, business_licence_no=None,
                          types=list(principal.types), region_code=principal.region_code or "")
