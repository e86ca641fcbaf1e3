"""Models (车型) per manufacturer and brand, and their displacements (排量)."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Depends, Query
from sqlalchemy import or_, select

from ..domain.entries import litres_label, model_name_issue
from ..domain.normalise import model_key
from ..models import Brand, CarModel, Displacement, Manufacturer
from ..usecases.entries import new_displacement, new_model
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
    query = visible(CarModel, principal, filters.status)
    if manufacturer_id:
        query = query.where(CarModel.manufacturer_id == manufacturer_id)
    if brand_id:
        query = query.where(CarModel.brand_id == brand_id)
    items, total = await search_page(uow, CarModel, query, filters.q, params)
    return Page(items=[model_out(m, principal) for m in items], total=total, **params.model_dump())


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
    return model_out(model, principal)


@router.post("/{model_id}/displacements", status_code=201, response_model=DisplacementOut,
             summary="为车型添加排量（待审核车型：随车型审核；已通过车型：待管理员审核通过后生效）",
             responses=PROPOSAL_RESPONSES)
async def add_displacement(model_id: str, body: DisplacementIn, principal: Principal = Depends(current_principal),
                           uow: UnitOfWork = Depends(get_uow)):
    model = await uow.session.get(CarModel, model_id)
    if model is None or not may_see(model, principal):
        raise not_found("车型")
    if model.status == "rejected":
        raise AppError(409, "catalog.state", "该车型已被驳回，不能添加排量")
    litres = float(body.litres)

    async def existing_one() -> Displacement | None:
        return await uow.session.scalar(
            select(Displacement).where(Displacement.model_id == model_id, Displacement.litres == litres))

    async def check() -> None:
        existing = await existing_one()
        if existing is not None and existing.status != "rejected":
            raise duplicate("排量", existing.id, litres_label(litres), existing.status)

    await check()
    displacement = await existing_one()
    if displacement is None:
        displacement = new_displacement(litres, principal.account_id)
        model.displacements.append(displacement)
    else:  # proposed again after a rejection: the same row goes back to the queue
        displacement.proposed_by, displacement.status, displacement.reject_reason = principal.account_id, "pending", None
        displacement.reviewed_by = displacement.reviewed_at = None
        displacement.created_at = datetime.now(UTC)
    await commit_new(uow, check)
    return DisplacementOut.model_validate(displacement)


@displacements_router.get("", response_model=Page[DisplacementEntryOut],
                          summary="排量列表（管理员用 status=pending 查看待审核的新增排量）")
async def list_displacements(status: Status | None = Query(None, description="审核状态"),
                             model_id: str | None = Query(None, max_length=36, description="车型标识"),
                             principal: Principal = Depends(current_principal),
                             params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    query = select(Displacement).join(CarModel, Displacement.model_id == CarModel.id)
    if principal.kind != "admin":
        query = query.where(or_(Displacement.status == "approved", Displacement.proposed_by == principal.account_id),
                            or_(CarModel.status == "approved", CarModel.proposed_by == principal.account_id))
    if status:
        query = query.where(Displacement.status == status)
    if model_id:
        query = query.where(Displacement.model_id == model_id)
    items, total = await paginate(uow.session, query.order_by(Displacement.created_at.desc(), Displacement.id), params)
    return Page(items=[DisplacementEntryOut.of(d) for d in items], total=total, **params.model_dump())
