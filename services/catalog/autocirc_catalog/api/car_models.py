"""Models (车型) per manufacturer and brand, and their displacements (排量)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..models import CarModel
from ..usecases import proposals
from ..usecases.lists import displacement_page, may_see, model_page
from .common import PROPOSAL_RESPONSES, ListQuery, list_query
from .schemas import DisplacementEntryOut, DisplacementIn, DisplacementOut, ModelIn, ModelOut, Status

router = APIRouter(prefix="/api/v1/catalog/models", tags=["catalog"])
displacements_router = APIRouter(prefix="/api/v1/catalog/displacements", tags=["catalog"])


def model_out(model: CarModel, principal: Principal) -> ModelOut:
    """A model with the displacements the caller may see: approved ones, and pending ones it proposed (all: admin)."""
    out = ModelOut.model_validate(model)
    out.displacements = [d for d, row in zip(out.displacements, model.displacements, strict=True)
                         if row.status == "approved" or may_see(row, principal)]
    return out


@router.get("", response_model=Page[ModelOut], summary="车型列表（按生产商、品牌筛选，可按名称、拼音搜索）")
async def list_models(filters: ListQuery = Depends(list_query),
                      manufacturer_id: str | None = Query(None, max_length=36, description="生产商标识"),
                      brand_id: str | None = Query(None, max_length=36, description="品牌标识"),
                      principal: Principal = Depends(current_principal),
                      params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    items, total = await model_page(uow, principal, filters.status, filters.q, manufacturer_id, brand_id, params)
    return Page(items=[model_out(m, principal) for m in items], total=total, **params.model_dump())


@router.post("", status_code=201, response_model=ModelOut, summary="提交新车型（待管理员审核，可同时填写排量）",
             responses=PROPOSAL_RESPONSES)
async def propose_model(body: ModelIn, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    model = await proposals.propose_model(uow, principal, body.brand_id, body.manufacturer_id, body.name,
                                          [float(x) for x in body.displacements])
    return model_out(model, principal)


@router.post("/{model_id}/displacements", status_code=201, response_model=DisplacementOut,
             summary="为车型添加排量（待审核车型：随车型审核；已通过车型：待管理员审核通过后生效）",
             responses=PROPOSAL_RESPONSES)
async def add_displacement(model_id: str, body: DisplacementIn, principal: Principal = Depends(current_principal),
                           uow: UnitOfWork = Depends(get_uow)):
    displacement = await proposals.add_displacement(uow, principal, model_id, float(body.litres))
    return DisplacementOut.model_validate(displacement)


@displacements_router.get("", response_model=Page[DisplacementEntryOut],
                          summary="排量列表（管理员用 status=pending 查看待审核的新增排量）")
async def list_displacements(status: Status | None = Query(None, description="审核状态"),
                             model_id: str | None = Query(None, max_length=36, description="车型标识"),
                             principal: Principal = Depends(current_principal),
                             params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    items, total = await displacement_page(uow, principal, status, model_id, params)
    return Page(items=[DisplacementEntryOut.of(d) for d in items], total=total, **params.model_dump())
