"""The admin's review: approve (publishes the approval events) or reject with a reason."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ..models import Brand, CarModel, Displacement, Manufacturer
from ..usecases.review import approve_pending, reject_pending
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


def _as_out(out: type[BaseModel], entry) -> BaseModel:
    return out.of(entry) if hasattr(out, "of") else out.model_validate(entry)


def _routes(kind: str, table, what: str, out: type[BaseModel]) -> None:
    async def approve_entry(entry_id: str, admin: Principal = Depends(require_kind("admin")),
                            uow: UnitOfWork = Depends(get_uow)):
        entry = await approve_pending(uow, table, entry_id, what, admin.account_id)
        await uow.commit()
        return _as_out(out, entry)

    async def reject_entry(entry_id: str, body: CatalogRejectIn, admin: Principal = Depends(require_kind("admin")),
                           uow: UnitOfWork = Depends(get_uow)):
        entry = await reject_pending(uow, table, entry_id, what, admin.account_id, body.reason)
        await uow.commit()
        return _as_out(out, entry)

    router.add_api_route(f"/{kind}/{{entry_id}}/approve", approve_entry, methods=["POST"], response_model=out,
                         summary=f"审核通过{what}（管理员）", responses=RESPONSES, name=f"approve_{kind}")
    router.add_api_route(f"/{kind}/{{entry_id}}/reject", reject_entry, methods=["POST"], response_model=out,
                         summary=f"驳回{what}（管理员，须填写原因）", responses=RESPONSES, name=f"reject_{kind}")


for _kind, (_table, _what, _out) in KINDS.items():
    _routes(_kind, _table, _what, _out)
