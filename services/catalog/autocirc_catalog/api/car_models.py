"""Models (车型) per manufacturer and brand, and their displacements (排量)."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from ..domain.entries import litres_label, model_name_issue
from ..domain.normalise import model_key
from ..models import Brand, CarModel, Displacement, Manufacturer
from ..usecases.entries import new_displacement, new_model
from ..usecases.review import displacement_added
from .common import (
    PROPOSAL_RESPONSES,
    ListQuery,
    choosable,
    commit_new,
    duplicate,
    ensure_new,
    list_query,
    may_see,
    require_key,
    search_page,
    visible,
)
from .schemas import DisplacementIn, DisplacementOut, ModelIn, ModelOut

router = APIRouter(prefix="/api/v1/catalog/models", tags=["catalog"])


@router.get("", response_model=Page[ModelOut], summary="车型列表（按生产商、品牌筛选，可按名称、拼音搜索）")
async def list_models(filters: ListQuery = Depends(list_query),
                      manufacturer_id: str | None = Query(None, max_length=36, description="生产商标识"),
                      brand_id: str | None = Query(None, max_length=36, description="品牌标识"),
                      principal: Principal = Depends(current_principal),
                      params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    query = visible(CarModel, principal, filters.status)
    if manufacturer_id:
        query = query.where(CarModel.manufacturer_id == manufacturer_id)
    if brand_id:
        query = query.where(CarModel.brand_id == brand_id)
    items, total = await search_page(uow, CarModel, query, filters.q, params)
    return Page(items=[ModelOut.model_validate(m) for m in items], total=total, **params.model_dump())


@router.post("", status_code=201, response_model=ModelOut, summary="提交新车型（待管理员审核，可同时填写排量）",
             responses=PROPOSAL_RESPONSES)
async def propose_model(body: ModelIn, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    brand = await choosable(uow, Brand, body.brand_id, principal, "brand_id", "品牌")
    manufacturer = await choosable(uow, Manufacturer, body.manufacturer_id, principal, "manufacturer_id", "生产商")
    if manufacturer not in brand.manufacturers:
        raise field_errors(422, [FieldError(field="manufacturer_id", code="catalog.not_brand_manufacturer",
                                            message=f"生产商“{manufacturer.name}”不是品牌“{brand.name}”的生产商")])
    key = model_key(body.name, brand.name)
    require_key(key)

    scope = (CarModel.manufacturer_id == manufacturer.id, CarModel.brand_id == brand.id)

    async def check() -> None:  # also runs after a rollback, when the ORM objects are expired
        await ensure_new(uow, CarModel, key, "车型", *scope)

    await check()  # a near-duplicate is named before the name's form is judged
    if issue := model_name_issue(body.name):
        raise field_errors(422, [issue])
    model = new_model(body.name, brand, manufacturer, [float(x) for x in body.displacements], principal.account_id)
    uow.session.add(model)
    await commit_new(uow, check)
    return ModelOut.model_validate(model)


@router.post("/{model_id}/displacements", status_code=201, response_model=DisplacementOut,
             summary="为车型添加排量（已通过的车型立即生效）", responses=PROPOSAL_RESPONSES)
async def add_displacement(model_id: str, body: DisplacementIn, principal: Principal = Depends(current_principal),
                           uow: UnitOfWork = Depends(get_uow)):
    model = await uow.session.get(CarModel, model_id)
    if model is None or not may_see(model, principal):
        raise not_found("车型")
    if model.status == "rejected":
        raise AppError(409, "catalog.state", "该车型已被驳回，不能添加排量")
    litres, status = float(body.litres), model.status

    async def check() -> None:
        existing = await uow.session.scalar(
            select(Displacement).where(Displacement.model_id == model_id, Displacement.litres == litres))
        if existing is not None:
            raise duplicate("排量", existing.id, litres_label(litres), status)

    await check()
    displacement = new_displacement(litres, principal.account_id)
    model.displacements.append(displacement)
    if status == "approved":
        uow.emit(displacement_added(model, displacement, datetime.now(UTC)))
    await commit_new(uow, check)
    return DisplacementOut.model_validate(displacement)
