"""The admin's review: approve (publishes the approval events) or reject with a reason."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select

from ..models import Brand, CarModel, Displacement, Manufacturer
from ..models.tables import brand_manufacturers
from ..usecases.review import STATUS_NAMES, approval_blocker, approval_events, approve, reject
from .schemas import BrandOut, CatalogRejectIn, DisplacementEntryOut, ManufacturerOut, ModelOut

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])

KINDS: dict[str, tuple[type, str, type[BaseModel]]] = {
    "manufacturers": (Manufacturer, "生产商", ManufacturerOut),
    "brands": (Brand, "品牌", BrandOut),
    "models": (CarModel, "车型", ModelOut),
    "displacements": (Displacement, "排量", DisplacementEntryOut),  # one added to an approved model
}
RESPONSES = {403: {"description": "仅系统管理员可以审核"}, 404: {"description": "不存在"},
             409: {"description": "不是待审核状态，或须先审核其生产商/品牌（catalog.state）"}}


async def _pending(uow: UnitOfWork, table, entry_id: str, what: str):
    entry = await uow.get_for_update(table, entry_id)
    if entry is None:
        raise not_found(what)
    if entry.status != "pending":
        raise AppError(409, "catalog.state", f"该{what}不是待审核状态（当前状态：{STATUS_NAMES[entry.status]}）")
    return entry


async def _brands_of(uow: UnitOfWork, manufacturer_id: str) -> list[Brand]:
    link = brand_manufacturers.c
    return list((await uow.session.scalars(select(Brand).join(brand_manufacturers, link.brand_id == Brand.id)
                                           .where(link.manufacturer_id == manufacturer_id))).all())


def _as_out(out: type[BaseModel], entry) -> BaseModel:
    return out.of(entry) if hasattr(out, "of") else out.model_validate(entry)


def _routes(kind: str, table, what: str, out: type[BaseModel]) -> None:
    async def approve_entry(entry_id: str, admin: Principal = Depends(require_kind("admin")),
                            uow: UnitOfWork = Depends(get_uow)):
        entry = await _pending(uow, table, entry_id, what)
        if blocker := approval_blocker(entry):
            raise AppError(409, "catalog.state", blocker)
        now = datetime.now(UTC)
        events = approve(entry, admin.account_id, now)
        if table is Manufacturer:  # proposed under approved brands: they are announced again with it
            events += [e for brand in await _brands_of(uow, entry.id) if brand.status == "approved"
                       for e in approval_events(brand, now)]
        for event in events:
            uow.emit(event)
        await uow.commit()
        return _as_out(out, entry)

    async def reject_entry(entry_id: str, body: CatalogRejectIn, admin: Principal = Depends(require_kind("admin")),
                           uow: UnitOfWork = Depends(get_uow)):
        entry = await _pending(uow, table, entry_id, what)
        reject(entry, admin.account_id, body.reason, datetime.now(UTC))
        await uow.commit()
        return _as_out(out, entry)

    router.add_api_route(f"/{kind}/{{entry_id}}/approve", approve_entry, methods=["POST"], response_model=out,
                         summary=f"审核通过{what}（管理员）", responses=RESPONSES, name=f"approve_{kind}")
    router.add_api_route(f"/{kind}/{{entry_id}}/reject", reject_entry, methods=["POST"], response_model=out,
                         summary=f"驳回{what}（管理员，须填写原因）", responses=RESPONSES, name=f"reject_{kind}")


for _kind, (_table, _what, _out) in KINDS.items():
    _routes(_kind, _table, _what, _out)
