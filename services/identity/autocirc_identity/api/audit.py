"""GET /api/v1/audit: every service's audit entries (audit.recorded.v1, kept in audit_feed), newest first;
the admin sees all, an official the entries about its region."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from autocirc_shared.audit import ACTIONS
from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import FieldError, field_errors
from autocirc_shared.masking import mask_personal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import full_name
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ..usecases.audit import search_audit

router = APIRouter(prefix="/api/v1/audit", tags=["identity"])


class AuditEntryOut(BaseModel):
    id: str = Field(description="记录标识")
    at: datetime = Field(description="时间")
    service: str = Field(description="记录的服务")
    actor_id: str | None = Field(None, description="操作人账户标识")
    actor_name: str | None = Field(None, description="操作人用户名")
    actor_kind: str | None = Field(None, description="操作人类型")
    action: str = Field(description="操作代码")
    action_name: str = Field(description="操作")
    subject: str | None = Field(None, description="对象")
    region_code: str | None = Field(None, description="对象所属行政区划代码")
    region_name: str | None = Field(None, description="对象所属行政区划")
    details: dict[str, Any] = Field(default_factory=dict, description="详情（已脱敏）")


def _region_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return "全国" if code == "000000" else full_name(code)
    except (KeyError, ValueError):
        return code


def _entry(row) -> AuditEntryOut:
    return AuditEntryOut(id=row.entry_id, at=as_utc(row.at), service=row.service, actor_id=row.actor_id,
                         actor_name=row.actor_name, actor_kind=row.actor_kind, action=row.action,
                         action_name=ACTIONS.get(row.action, row.action), subject=row.subject,
                         region_code=row.region_code, region_name=_region_name(row.region_code),
                         details=mask_personal(row.details or {}))


@router.get("", response_model=Page[AuditEntryOut], summary="审计日志（管理员：全部；主管部门：本辖区）")
async def list_audit(actor: str | None = Query(None, max_length=64, description="操作人用户名或账户标识"),
                     action: str | None = Query(None, max_length=64, description="操作代码，如 password.reset"),
                     date_from: date | None = Query(None, alias="from", description="起始日期（含，北京时间）"),
                     date_to: date | None = Query(None, alias="to", description="截止日期（含，北京时间）"),
                     reader: Principal = Depends(require_kind("admin", "official")),
                     params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    if date_from and date_to and date_from > date_to:
        raise field_errors(422, [FieldError(field="from", code="date.range", message="起始日期不能晚于截止日期")])
    rows, total = await search_audit(uow, reader, actor, action, date_from, date_to, params)
    return Page(items=[_entry(r) for r in rows], total=total, **params.model_dump())
