"""Admin view and re-drive of police deliveries (影像推送公安)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query, Request

from ..models import Delivery
from ..usecases.deliveries import PENDING, delivery_of, delivery_page, redrive_failed, retry_delivery
from .schemas import DeliveryOut, DeliveryStatus, RedriveOut

router = APIRouter(prefix="/api/v1/media-sync/deliveries", tags=["media-sync"],
                   dependencies=[Depends(require_kind("admin"))])


def _wake_worker(request: Request) -> None:
    worker = getattr(request.app.state, "delivery_worker", None)
    if worker is not None:
        worker.wake()


def delivery_out(d: Delivery) -> DeliveryOut:
    out = DeliveryOut.model_validate(d)
    return out if d.status == PENDING else out.model_copy(update={"next_attempt_at": None})


@router.get("", response_model=Page[DeliveryOut], summary="影像推送公安：投递记录列表（管理员）")
async def list_deliveries(status: DeliveryStatus | None = Query(None, description="投递状态"),
                          enterprise_id: str | None = Query(None, max_length=36, description="企业标识"),
                          params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    rows, total = await delivery_page(uow, status, enterprise_id, params)
    return Page(items=[delivery_out(d) for d in rows], total=total, **params.model_dump())


@router.get("/{delivery_id}", response_model=DeliveryOut, summary="投递记录详情（管理员）")
async def get_delivery(delivery_id: str, uow: UnitOfWork = Depends(get_uow)):
    return delivery_out(await delivery_of(uow, delivery_id))


@router.post("/retry-failed", response_model=RedriveOut,
             summary="全部投递失败的记录重新投递（管理员；已被更新影像取代的除外）")
async def retry_failed(request: Request, enterprise_id: str | None = Query(None, max_length=36, description="仅此企业"),
                       uow: UnitOfWork = Depends(get_uow)):
    count = await redrive_failed(uow, enterprise_id)
    await uow.commit()
    _wake_worker(request)
    return RedriveOut(count=count)


@router.post("/{delivery_id}/retry", response_model=DeliveryOut, summary="投递失败的记录重新投递（管理员）",
             responses={404: {"description": "投递记录不存在"},
                        409: {"description": "只有投递失败、且未被更新影像取代的记录可以重新投递"}})
async def retry(delivery_id: str, request: Request, uow: UnitOfWork = Depends(get_uow)):
    d = await retry_delivery(uow, delivery_id)
    await uow.commit()
    _wake_worker(request)
    return delivery_out(d)
