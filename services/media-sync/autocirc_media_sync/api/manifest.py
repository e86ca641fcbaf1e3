"""Daily reconciliation with the police (对账): what was delivered on a Beijing-time day, with each receipt,
and what is still unacknowledged (queued by the end of that day, not delivered, not superseded)."""
from __future__ import annotations

import datetime as dt

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ..usecases.manifest import day_manifest
from .deliveries import delivery_out
from .schemas import DeliveryOut

router = APIRouter(prefix="/api/v1/police", tags=["police"], dependencies=[Depends(require_kind("admin"))])
LIMIT = 10_000


class ManifestOut(BaseModel):
    date: dt.date = Field(description="日期（北京时间）")
    sent: list[DeliveryOut] = Field(description="当日投递成功的报文（含公安回执编号）")
    unacknowledged: list[DeliveryOut] = Field(description="截至当日结束已排队、尚未得到公安回执的报文（不含已被取代的）")
    sent_count: int
    unacknowledged_count: int


@router.get("/manifest", response_model=ManifestOut, summary="推送公安每日对账单（管理员）")
async def manifest(day: dt.date = Query(alias="date", description="日期 YYYY-MM-DD（北京时间）"),
                   uow: UnitOfWork = Depends(get_uow)):
    sent, open_ = await day_manifest(uow, day, LIMIT)
    return ManifestOut(date=day, sent=[delivery_out(d) for d in sent], unacknowledged=[delivery_out(d) for d in open_],
                       sent_count=len(sent), unacknowledged_count=len(open_))
