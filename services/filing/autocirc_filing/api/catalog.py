"""The approved brands with their manufacturers, for the 备案 brand pickers (from the projection)."""
from __future__ import annotations

from collections import defaultdict

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.text_search import contains_text
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from ..models.catalog_projection import ProjectedBrand, ProjectedBrandManufacturer, ProjectedManufacturer

router = APIRouter(prefix="/api/v1/filing/catalog", tags=["filing"])


class CatalogManufacturerOption(BaseModel):
    id: str = Field(description="生产商标识")
    name: str = Field(description="生产商名称")
    country: str = Field(description="国别")


class CatalogBrandOption(BaseModel):
    id: str = Field(description="品牌标识")
    name: str = Field(description="品牌名称")
    manufacturers: list[CatalogManufacturerOption] = Field(description="该品牌已审核通过的生产商")


@router.get("/brands", response_model=Page[CatalogBrandOption], summary="可选品牌及其生产商（已审核通过）")
async def list_brands(q: str | None = Query(None, max_length=50, description="品牌名称（包含）"),
                      manufacturer_id: str | None = Query(None, max_length=36, description="生产商标识"),
                      _: Principal = Depends(current_principal), params: PageParams = Depends(page_params),
                      uow: UnitOfWork = Depends(get_uow)):
    link = ProjectedBrandManufacturer
    query = select(ProjectedBrand).order_by(ProjectedBrand.name, ProjectedBrand.id)
    if q and q.strip():
        query = query.where(contains_text(q, ProjectedBrand.name))
    if manufacturer_id:
        query = query.where(ProjectedBrand.id.in_(select(link.brand_id).where(link.manufacturer_id == manufacturer_id)))
    brands, total = await paginate(uow.session, query, params)
    makers = defaultdict(list)
    rows = await uow.session.execute(
        select(link.brand_id, ProjectedManufacturer)
        .join(ProjectedManufacturer, ProjectedManufacturer.id == link.manufacturer_id)
        .where(link.brand_id.in_([b.id for b in brands])).order_by(ProjectedManufacturer.name))
    for brand_id, m in rows:
        makers[brand_id].append(CatalogManufacturerOption(id=m.id, name=m.name, country=m.country))
    items = [CatalogBrandOption(id=b.id, name=b.name, manufacturers=makers[b.id]) for b in brands]
    return Page(items=items, total=total, **params.model_dump())
