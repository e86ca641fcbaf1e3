"""The approved brands with their manufacturers, for the 备案 brand pickers (from the projection)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ..usecases.brand_options import brand_options

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
    brands, makers, total = await brand_options(uow, q, manufacturer_id, params)
    items = [CatalogBrandOption(id=b.id, name=b.name, manufacturers=[
        CatalogManufacturerOption(id=m.id, name=m.name, country=m.country) for m in makers.get(b.id, [])])
        for b in brands]
    return Page(items=items, total=total, **params.model_dump())
