"""Manufacturers (生产商): list and propose, optionally under existing brands (a brand made by a new supplier)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends

from ..usecases import proposals
from ..usecases.lists import manufacturer_page
from .common import PROPOSAL_RESPONSES, ListQuery, list_query
from .schemas import ManufacturerOut, ManufacturerProposalIn

router = APIRouter(prefix="/api/v1/catalog/manufacturers", tags=["catalog"])


@router.get("", response_model=Page[ManufacturerOut], summary="生产商列表（可按名称、拼音搜索）")
async def list_manufacturers(filters: ListQuery = Depends(list_query),
                             principal: Principal = Depends(current_principal),
                             params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    items, total = await manufacturer_page(uow, principal, filters.status, filters.q, params)
    return Page(items=[ManufacturerOut.model_validate(m) for m in items], total=total, **params.model_dump())


@router.post("", status_code=201, response_model=ManufacturerOut, summary="提交新生产商（待管理员审核）",
             responses=PROPOSAL_RESPONSES)
async def propose_manufacturer(body: ManufacturerProposalIn, principal: Principal = Depends(current_principal),
                               uow: UnitOfWork = Depends(get_uow)):
    manufacturer = await proposals.propose_manufacturer(uow, principal, body.name, body.country, body.brand_ids)
    return ManufacturerOut.model_validate(manufacturer)
