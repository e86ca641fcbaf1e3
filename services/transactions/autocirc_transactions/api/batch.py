"""批量提交 for dealer software: ``POST /api/v1/transactions/batch`` with an ``Idempotency-Key``."""
from __future__ import annotations

from typing import Annotated, Any

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Body, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, SkipValidation

from ..domain.schemas import TransactionIn
from ..usecases.batch import MAX_RECORDS, check_records, key_of, records_of, replay, request_digest, store_batch
from ..usecases.gate import require_confirmed_enterprise
from .records import READ_ONLY

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])


class BatchIn(BaseModel):
    records: list[TransactionIn] = Field(description=f"交易信息（二手车销售基本情况表），1 至 {MAX_RECORDS} 条")


class BatchOut(BaseModel):
    ids: list[str] = Field(description="新记录的标识，与 records 顺序一致")
    warnings: list[dict] = Field(description="合理性提示（不影响保存）")


Batch = Annotated[BatchIn, SkipValidation, Body(description="一批交易信息")]


@router.post("/batch", status_code=201, response_model=BatchOut, summary="批量提交交易信息（全部成功或全部不保存，幂等）",
             responses={403: {"description": "备案未确认（filing.not_confirmed）"},
                        422: {"description": "逐条列出错误（records.{i}.{field}）；缺少幂等键（idempotency.key_required）；"
                                             "幂等键已用于不同数据（idempotency.mismatch）"}})
async def create_batch(payload: Batch, request: Request,
                       idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                                     description="幂等键：同一批数据重复提交时使用同一值")] = None,
                       principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    body: Any = payload
    key = key_of(idempotency_key)
    enterprise = await require_confirmed_enterprise(uow, principal)
    digest = request_digest(body)
    kept = await replay(uow, enterprise.enterprise_id, key, digest)
    if kept is None:
        records = check_records(records_of(body), request.app.state.runtime.settings.today_date(), READ_ONLY)
        kept = await store_batch(uow, enterprise, records, key=key, digest=digest, actor=principal.account_id,
                                 actor_name=principal.username, today=request.app.state.runtime.settings.today_date())
    return JSONResponse(kept.response, status_code=kept.status_code)
