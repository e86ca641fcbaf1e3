"""The admin issues and revokes agency keys (公安查询密钥) and reads the look-up log."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query, Response

from ..usecases.agency_keys import access_page, all_keys, issue_key, revoke_key
from .schemas import AccessOut, AgencyKeyIn, AgencyKeyIssued, AgencyKeyOut, AgencyKeysOut

admin_only = require_kind("admin")
router = APIRouter(tags=["police"])


@router.post("/api/v1/agency-keys", status_code=201, response_model=AgencyKeyIssued,
             summary="签发公安查询密钥（管理员；密钥只显示这一次）")
async def issue(body: AgencyKeyIn, principal: Principal = Depends(admin_only), uow: UnitOfWork = Depends(get_uow)):
    row, key = issue_key(uow, body.agency.strip(), body.name.strip(), principal.account_id)
    await uow.commit()
    return AgencyKeyIssued(**AgencyKeyOut.model_validate(row).model_dump(), key=key)


@router.get("/api/v1/agency-keys", response_model=AgencyKeysOut, summary="公安查询密钥列表（管理员；不含密钥本身）")
async def list_keys(_: Principal = Depends(admin_only), uow: UnitOfWork = Depends(get_uow)):
    return AgencyKeysOut(items=[AgencyKeyOut.model_validate(r) for r in await all_keys(uow)])


@router.delete("/api/v1/agency-keys/{key_id}", status_code=204, summary="停用公安查询密钥（管理员；立即生效）",
               responses={404: {"description": "密钥不存在"}})
async def revoke(key_id: str, _: Principal = Depends(admin_only), uow: UnitOfWork = Depends(get_uow)):
    await revoke_key(uow, key_id)
    await uow.commit()
    return Response(status_code=204)


@router.get("/api/v1/police/access-log", response_model=Page[AccessOut],
            summary="公安查询日志（管理员；每次查询：时间、单位、密钥、信用代码、内容）")
async def access_log(uscc: str | None = Query(None, max_length=30, description="统一社会信用代码"),
                     _: Principal = Depends(admin_only), params: PageParams = Depends(page_params),
                     uow: UnitOfWork = Depends(get_uow)):
    rows, total = await access_page(uow, uscc.strip().upper() if uscc else None, params)
    return Page(items=[AccessOut.model_validate(r) for r in rows], total=total, **params.model_dump())
