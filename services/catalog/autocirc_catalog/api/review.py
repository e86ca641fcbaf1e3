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

from ..models import Brand, CarModel, Manufacturer
from ..usecases.review import STATUS_NAMES, approval_blocker, approve, reject
from .schemas import BrandOut, CatalogRejectIn, ManufacturerOut, ModelOut

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])

KINDS: dict[str, tuple[type, str, type[BaseModel]]] = {
    "manufacturers": (Manufacturer, "生产商", ManufacturerOut),
    "brands": (Brand, "品牌", BrandOut),
    "models": (CarModel, "车型", ModelOut),
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


def _routes(kind: str, table, what: str, out: type[BaseModel]) -> None:
    async def approve_entry(entry_id: str, admin: Principal = Depends(require_kind("admin")),
                            uow: UnitOfWork = Depends(get_uow)):
        entry = await _pending(uow, table, entry_id, what)
        if blocker := approval_blocker(entry):
            raise AppError(409, "catalog.state", blocker)
        for event in approve(entry, admin.account_id, datetime.now(UTC)):
            uow.emit(event)
        await uow.commit()
        return out.model_validate(entry)

    async def reject_entry(entry_id: str, body: CatalogRejectIn, admin: Principal = Depends(require_kind("admin")),
                           uow: UnitOfWork = Depends(get_uow)):
        entry = await _pending(uow, table, entry_id, what)
        reject(entry, admin.account_id, body.reason, datetime.now(UTC))
        await uow.commit()
        return out.model_validate(entry)

    router.add_api_route(f"/{kind}/{{entry_id}}/approve", approve_entry, methods=["POST"], response_model=out,
                         summary=f"审核通过{what}（管理员）", responses=RESPONSES, name=f"approve_{kind}")
    router.add_api_route(f"/{kind}/{{entry_id}}/reject", reject_entry, methods=["POST"], response_model=out,
                         summary=f"驳回{what}（管理员，须填写原因）", responses=RESPONSES, name=f"reject_{kind}")


for _kind, (_table, _what, _out) in KINDS.items():
    _routes(_kind, _table, _what, _out)
