"""The message centre (消息) of enterprises and officials."""
from __future__ import annotations

from datetime import datetime

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from ..usecases.notifications import notification_page, read_notification

router = APIRouter(prefix="/api/v1/notifications", tags=["portal"])
recipients = require_kind("enterprise", "official")


class NotificationOut(BaseModel):
    id: str
    kind: str = Field(description="类型：filing.confirmed 备案确认 / filing.rejected 退回 / filing.revoked 注销 / "
                                  "filing.submitted 待审核 / report.due 报表即将到期 / report.overdue 报表逾期")
    title: str = Field(description="标题")
    body: str = Field(description="内容")
    created_at: datetime
    read: bool = Field(description="是否已读")


def recipient_of(principal: Principal) -> str:
    """An enterprise's messages belong to the enterprise; an official's to its account."""
    return principal.enterprise_id if principal.kind == "enterprise" else principal.account_id


@router.get("", response_model=Page[NotificationOut], summary="消息列表（企业、主管部门）")
async def list_notifications(unread: bool = Query(False, description="只看未读"),
                             principal: Principal = Depends(recipients), params: PageParams = Depends(page_params),
                             uow: UnitOfWork = Depends(get_uow)):
    items, total = await notification_page(uow, recipient_of(principal), unread, params)
    return Page(items=[NotificationOut(id=n.id, kind=n.kind, title=n.title, body=n.body, created_at=n.created_at,
                                       read=n.read_at is not None) for n in items],
                total=total, **params.model_dump())


@router.post("/{notification_id}/read", status_code=204, summary="标记为已读")
async def mark_read(notification_id: str, principal: Principal = Depends(recipients),
                    uow: UnitOfWork = Depends(get_uow)):
    if await read_notification(uow, recipient_of(principal), notification_id):
        await uow.commit()
    return Response(status_code=204)
