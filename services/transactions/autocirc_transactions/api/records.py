"""Single records: entry, list/search, view, edit, delete, audit trail (seed 2.4.1, 2.4.2)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from autocirc_shared.auth.dependencies import BEARER_SECURITY, current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import authorized_single_statement_uow, get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Body, Depends, Path, Request, Response
from pydantic import SkipValidation

from ..domain.checks import check_transaction
from ..domain.schemas import TransactionIn
from ..usecases.entry import enter_transaction, entry_gate
from ..usecases.gate import require_confirmed_enterprise
from ..usecases.records import own, readable, search_page, trail
from ..usecases.search import TransactionFilters
from ..usecases.store import amend_transaction, delete_transaction
from .params import transaction_filters
from .schemas import TransactionCreated, TransactionHistoryEntry, TransactionOut
from .views import created_out, history_out, transaction_out

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])
# ``:uuid``: other paths under /api/v1/transactions (import-template.xlsx, imports/..., export.xlsx) never match.
ONE = "/{transaction_id:uuid}"
# Documented as the form, validated by ``check_transaction`` (every shape and domain error at once).
Form = Annotated[TransactionIn, SkipValidation, Body(description="二手车销售基本情况表")]
TransactionId = Annotated[uuid.UUID, Path(description="交易记录标识")]
READ_ONLY = frozenset(TransactionCreated.model_fields) - frozenset(TransactionIn.model_fields)
ERRORS = {403: {"description": "备案未确认（filing.not_confirmed）或无权操作"},
          422: {"description": "填写有误（列出所有错误字段）"}}


def _today(request: Request) -> date:
    return request.app.state.runtime.settings.today_date()


def _check(payload: Any, request: Request) -> tuple[TransactionIn | None, list]:
    if isinstance(payload, dict):  # a record as GET returns it may be sent back as it is
        payload = {k: v for k, v in payload.items() if k not in READ_ONLY}
    return check_transaction(payload, today=_today(request))


def _checked(payload: Any, request: Request) -> TransactionIn:
    record, errors = _check(payload, request)
    if errors:
        raise field_errors(422, errors)
    assert record is not None
    return record


@router.post("", status_code=201, response_model=TransactionCreated, summary="二手车销售情况录入（单条）",
             responses={**ERRORS, 409: {"description": "同一车辆识别代号、同一交易日期已录入"}},
             openapi_extra=BEARER_SECURITY)
async def create_transaction(payload: Form, request: Request,
                             authorized: tuple[Principal, UnitOfWork] = Depends(authorized_single_statement_uow)):
    """Gate check, then the row, its audit entry and its outbox row written together (one self-committing
    statement on PostgreSQL, one transaction on SQLite); the answer is built from the row as stored, not read back."""
    principal, uow = authorized  # answered in the order of every write route: token, role, gate, then the form
    record, errors = _check(payload, request)
    enterprise, known = await entry_gate(uow, principal, record.vehicle.vin if record is not None else None)
    if errors or record is None:
        raise field_errors(422, errors)
    row, warnings = await enter_transaction(uow, principal, enterprise, record, known, reported_on=_today(request))
    return created_out(row, warnings)


@router.get("", response_model=Page[TransactionOut],
            summary="二手车销售情况列表（企业：本企业；主管部门：辖区内，脱敏）")
async def list_transactions(filters: TransactionFilters = Depends(transaction_filters),
                            params: PageParams = Depends(page_params),
                            principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    rows, total = await search_page(uow, principal, filters, params)
    return Page(items=[transaction_out(row, principal) for row in rows], total=total, **params.model_dump())


@router.get(ONE, response_model=TransactionOut, summary="查看交易信息")
async def get_transaction(transaction_id: TransactionId, principal: Principal = Depends(current_principal),
                          uow: UnitOfWork = Depends(get_uow)):
    return transaction_out(await readable(uow, principal, transaction_id), principal)


@router.put(ONE, response_model=TransactionOut, summary="修改交易信息（整条重新校验）", responses=ERRORS)
async def update_transaction(transaction_id: TransactionId, payload: Form, request: Request,
                             principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    enterprise = await require_confirmed_enterprise(uow, principal)
    row = await own(uow, principal, transaction_id)
    record = _checked(payload, request)
    if await amend_transaction(uow, enterprise, row, record, actor=principal.account_id,
                               actor_name=principal.username):
        await uow.commit()
    return transaction_out(row, principal)


@router.delete(ONE, status_code=204, response_class=Response, summary="删除交易信息", responses=ERRORS)
async def delete(transaction_id: TransactionId, principal: Principal = Depends(current_principal),
                 uow: UnitOfWork = Depends(get_uow)):
    await require_confirmed_enterprise(uow, principal)
    row = await own(uow, principal, transaction_id)
    await delete_transaction(uow, row, actor=principal.account_id, actor_name=principal.username)
    await uow.commit()
    return Response(status_code=204)


@router.get(ONE + "/history", response_model=list[TransactionHistoryEntry],
            summary="交易信息修改记录（谁、何时、改了什么；已删除的记录本企业仍可查看）")
async def transaction_history(transaction_id: TransactionId, principal: Principal = Depends(current_principal),
                              uow: UnitOfWork = Depends(get_uow)):
    return [history_out(entry, principal) for entry in await trail(uow, principal, transaction_id)]
