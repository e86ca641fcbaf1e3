"""Reads of a filing shared by the enterprise and review routes: its images, its brands' names, the enterprise."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models.catalog_projection import ProjectedBrand, ProjectedManufacturer
from ..models.filings import EnterpriseView, FilingMedia


async def media_of(uow: UnitOfWork, enterprise_id: str | None) -> list[FilingMedia]:
    return list((await uow.session.scalars(
        select(FilingMedia).where(FilingMedia.enterprise_id == enterprise_id).order_by(FilingMedia.kind))).all())


async def brand_names(uow: UnitOfWork, *datas: dict | None) -> dict[str, str]:
    """Names of the brands and manufacturers these filing versions chose, from the catalogue projection."""
    ids = {choice.get(key) for data in datas for choice in ((data or {}).get("brands") or [])
           if isinstance(choice, dict) for key in ("brand_id", "manufacturer_id")} - {None}
    names: dict[str, str] = {}
    if ids:
        for model in (ProjectedBrand, ProjectedManufacturer):
            names.update((await uow.session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())
    return names


async def enterprise_of(uow: UnitOfWork, principal: Principal) -> EnterpriseView:
    """The enterprise as identity announced it; until that event arrives, what the token says."""
    found = await uow.session.get(EnterpriseView, principal.enterprise_id)
    if found is not None:
        return found
    return EnterpriseView(enterprise_id=principal.enterprise_id, name="", uscc=None, business_licence_no=None,
                          types=list(principal.types), region_code=principal.region_code or "")
