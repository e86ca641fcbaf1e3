"""Brands (品牌): list and propose, naming existing manufacturers and/or proposing new ones."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..domain.normalise import name_key
from ..models import Brand, Manufacturer
from ..usecases.entries import new_brand, new_manufacturer
from .common import (
    PROPOSAL_RESPONSES,
    ListQuery,
    choosable,
    commit_new,
    ensure_new,
    list_query,
    may_see,
    require_key,
    search_page,
    visible,
)
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
    query = visible(Brand, principal, filters.status)
    if manufacturer_id:
        query = query.where(Brand.manufacturers.any(Manufacturer.id == manufacturer_id))
    items, total = await search_page(uow, Brand, query, filters.q, params)
    return Page(items=[brand_out(b, principal) for b in items], total=total, **params.model_dump())


@router.post("", status_code=201, response_model=BrandOut, summary="提交新品牌（待管理员审核）",
             responses=PROPOSAL_RESPONSES)
async def propose_brand(body: BrandIn, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    if not body.manufacturer_ids and not body.new_manufacturers:
        raise field_errors(422, [FieldError(field="manufacturer_ids", code="catalog.manufacturer_required",
                                            message="品牌至少需要关联一个生产商（选择已有生产商或提交新生产商）")])
    key = name_key(body.name)
    require_key(key)
    new_keys = {}
    for i, item in enumerate(body.new_manufacturers):
        mkey = name_key(item.name)
        require_key(mkey, f"new_manufacturers.{i}.name")
        new_keys.setdefault(mkey, item)
    chosen = list(dict.fromkeys([await choosable(uow, Manufacturer, mid, principal, f"manufacturer_ids.{i}", "生产商")
                                 for i, mid in enumerate(body.manufacturer_ids)]))

    async def check() -> None:
        await ensure_new(uow, Brand, key, "品牌")
        for mkey in new_keys:
            await ensure_new(uow, Manufacturer, mkey, "生产商")

    await check()
    created = [new_manufacturer(m.name, m.country, principal.account_id) for m in new_keys.values()]
    brand = new_brand(body.name, chosen + created, principal.account_id)
    uow.session.add(brand)
    await commit_new(uow, check)
    return brand_out(brand, principal)
