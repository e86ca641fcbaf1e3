"""Manufacturers (生产商): list and propose, optionally under existing brands (a brand made by a new supplier)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends

from ..domain.normalise import name_key
from ..models import Brand, Manufacturer
from ..usecases.entries import new_manufacturer
from .common import (
    PROPOSAL_RESPONSES,
    ListQuery,
    choosable,
    commit_new,
    ensure_new,
    list_query,
    require_key,
    search_page,
    visible,
)
from .schemas import ManufacturerOut, ManufacturerProposalIn

router = APIRouter(prefix="/api/v1/catalog/manufacturers", tags=["catalog"])


@router.get("", response_model=Page[ManufacturerOut], summary="生产商列表（可按名称、拼音搜索）")
async def list_manufacturers(filters: ListQuery = Depends(list_query),
                             principal: Principal = Depends(current_principal),
                             params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    query = visible(Manufacturer, principal, filters.status)
    items, total = await search_page(uow, Manufacturer, query, filters.q, params)
    return Page(items=[ManufacturerOut.model_validate(m) for m in items], total=total, **params.model_dump())


@router.post("", status_code=201, response_model=ManufacturerOut, summary="提交新生产商（待管理员审核）",
             responses=PROPOSAL_RESPONSES)
async def propose_manufacturer(body: ManufacturerProposalIn, principal: Principal = Depends(current_principal),
                               uow: UnitOfWork = Depends(get_uow)):
    key = name_key(body.name)
    require_key(key)

    async def check() -> None:
        await ensure_new(uow, Manufacturer, key, "生产商")

    brands = list(dict.fromkeys([await choosable(uow, Brand, bid, principal, f"brand_ids.{i}", "品牌")
                                 for i, bid in enumerate(body.brand_ids)]))
    await check()
    manufacturer = new_manufacturer(body.name, body.country, principal.account_id)
    uow.session.add(manufacturer)
    for brand in brands:  # the link is in force for the others once the admin approves the manufacturer
        brand.manufacturers.append(manufacturer)
    await commit_new(uow, check)
    return ManufacturerOut.model_validate(manufacturer)
