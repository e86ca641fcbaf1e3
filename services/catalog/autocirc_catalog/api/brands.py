"""Brands (品牌): list and propose, naming existing manufacturers and/or proposing new ones."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..models import Brand
from ..usecases import proposals
from ..usecases.lists import brand_page, may_see
from .common import PROPOSAL_RESPONSES, ListQuery, list_query
from .schemas import BrandIn, BrandOut

router = APIRouter(prefix="/api/v1/catalog/brands", tags=["catalog"])


def brand_out(brand: Brand, principal: Principal) -> BrandOut:
    """A brand with the manufacturers the caller may see (a supplier proposed under it stays its proposer's until
    approved)."""
    out = BrandOut.model_validate(brand)
    out.manufacturers = [m for m, row in zip(out.manufacturers, brand.manufacturers, strict=True)
                         if may_see(row, principal)]
    return out


@router.get("", response_model=Page[BrandOut], summary="品牌列表（可按名称、拼音、生产商筛选）")
async def list_brands(filters: ListQuery = Depends(list_query),
                      manufacturer_id: str | None = Query(None, max_length=36, description="生产商标识"),
                      principal: Principal = Depends(current_principal),
                      params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    items, total = await brand_page(uow, principal, filters.status, filters.q, manufacturer_id, params)
    return Page(items=[brand_out(b, principal) for b in items], total=total, **params.model_dump())


@router.post("", status_code=201, response_model=BrandOut, summary="提交新品牌（待管理员审核）",
             responses=PROPOSAL_RESPONSES)
async def propose_brand(body: BrandIn, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    brand = await proposals.propose_brand(uow, principal, body.name, body.manufacturer_ids,
                          [(m.name, m.country) for m in body.new_manufacturers])
    return brand_out(brand, principal)
