"""The approved brands with their manufacturers, for the 备案 brand pickers (from the catalogue projection)."""
from __future__ import annotations

from collections import defaultdict

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.text_search import contains_text
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select

from ..models.catalog_projection import ProjectedBrand, ProjectedBrandManufacturer, ProjectedManufacturer


async def brand_options(uow: UnitOfWork, q: str | None, manufacturer_id: str | None, params: PageParams
                        ) -> tuple[list[ProjectedBrand], dict[str, list[ProjectedManufacturer]], int]:
    """One page of brands by name (``q`` within it; only those of ``manufacturer_id``), each brand's manufacturers
    by name, and the total."""
    link = ProjectedBrandManufacturer
    query = select(ProjectedBrand).order_by(ProjectedBrand.name, ProjectedBrand.id)
    if q and q.strip():
        query = query.where(contains_text(q, ProjectedBrand.name))
    if manufacturer_id:
        query = query.where(ProjectedBrand.id.in_(select(link.brand_id).where(link.manufacturer_id == manufacturer_id)))
    brands, total = await paginate(uow.session, query, params)
    makers: dict[str, list[ProjectedManufacturer]] = defaultdict(list)
    rows = await uow.session.execute(
        select(link.brand_id, ProjectedManufacturer)
        .join(ProjectedManufacturer, ProjectedManufacturer.id == link.manufacturer_id)
        .where(link.brand_id.in_([b.id for b in brands])).order_by(ProjectedManufacturer.name))
    for brand_id, m in rows:
        makers[brand_id].append(m)
    return brands, makers, total
