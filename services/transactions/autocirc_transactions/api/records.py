"""Single records: entry, list/search, view, edit, delete, audit trail (seed 2.4.1, 2.4.2)."""
from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace
from typing import Annotated, Any

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Body, Depends, Path, Request, Response
from pydantic import SkipValidation
from sqlalchemy import select

from ..domain.checks import check_transaction
from ..domain.schemas import TransactionIn
from ..models.transactions import Transaction, TransactionAudit
from ..usecases.gate import require_confirmed_enterprise
from ..usecases.scope import can_read, ensure_reader
from ..usecases.search import TransactionFilters, search_query
from ..usecases.store import amend_transaction, delete_transaction, duplicate, find_duplicate, store_transaction
from ..usecases.vehicle_lookup import warnings_for
from .params import transaction_filters
from .schemas import TransactionCreated, TransactionHistoryEntry, TransactionOut
from .views import history_out, transaction_out

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


def _checked(payload: Any, request: Request) -> TransactionIn:
    if isinstance(payload, dict):  # a record as GET returns it may be sent back as it is
        payload = {k: v for k, v in payload.items() if k not in READ_ONLY}
    record, errors = check_transaction(payload, today=_today(request))
    if errors:
        raise field_errors(422, errors)
    return record


async def _readable(uow: UnitOfWork, principal: Principal, transaction_id: uuid.UUID) -> Transaction:
    ensure_reader(principal)
    row = await uow.session.get(Transaction, str(transaction_id))
    if row is None or (principal.kind == "enterprise" and not can_read(principal, row)):
        raise not_found("交易信息")
    if not can_read(principal, row):
        raise AppError(403, "region.forbidden", "该交易信息的填报企业不在您的管辖区域内")
    return row


async def _own(uow: UnitOfWork, principal: Principal, transaction_id: uuid.UUID) -> Transaction:
    lock = True if uow.db.dialect == "postgresql" else None  # serialise concurrent edits of one record
    row = await uow.session.get(Transaction, str(transaction_id), with_for_update=lock)
    if row is None or row.enterprise_id != principal.enterprise_id:
        raise not_found("交易信息")
    return row


@router.post("", status_code=201, response_model=TransactionCreated, summary="二手车销售情况录入（单条）",
             responses={**ERRORS, 409: {"description": "同一车辆识别代号、同一交易日期已录入"}})
async def create_transaction(payload: Form, request: Request, principal: Principal = Depends(current_principal),
                             uow: UnitOfWork = Depends(get_uow)):
    """One transaction: gate check, insert, audit entry, outbox row, commit; the answer is built from the
    row as stored, not read back."""
    enterprise = await require_confirmed_enterprise(uow, principal)
    record = _checked(payload, request)
    [warnings] = await warnings_for(uow, enterprise.enterprise_id, [record])
    row = await store_transaction(uow, enterprise, record, actor=principal.account_id,
                                  actor_name=principal.username, reported_on=_today(request))
    if row is None:
        raise duplicate(await find_duplicate(uow, enterprise.enterprise_id, record.vehicle.vin,
                                             record.deal.trade_date))
    await uow.commit()
    created = transaction_out(SimpleNamespace(**row), principal)
    return TransactionCreated(**created.model_dump(), warnings=[w.as_dict() for w in warnings])


@router.get("", response_model=Page[TransactionOut],
            summary="二手车销售情况列表（企业：本企业；主管部门：辖区内，脱敏）")
async def list_transactions(filters: TransactionFilters = Depends(transaction_filters),
                            params: PageParams = Depends(page_params),
                            principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    rows, total = await paginate(uow.session, search_query(principal, filters), params)
    return Page(items=[transaction_out(row, principal) for row in rows], total=total, **params.model_dump())


@router.get(ONE, response_model=TransactionOut, summary="查看交易信息")
async def get_transaction(transaction_id: TransactionId, principal: Principal = Depends(current_principal),
                          uow: UnitOfWork = Depends(get_uow)):
    return transaction_out(await _readable(uow, principal, transaction_id), principal)


@router.put(ONE, response_model=TransactionOut, summary="修改交易信息（整条重新校验）", responses=ERRORS)
async def update_transaction(transaction_id: TransactionId, payload: Form, request: Request,
                             principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    enterprise = await require_confirmed_enterprise(uow, principal)
    row = await _own(uow, principal, transaction_id)
    record = _checked(payload, request)
    if await amend_transaction(uow, enterprise, row, record, actor=principal.account_id,
                               actor_name=principal.username):
        await uow.commit()
    return transaction_out(row, principal)


@router.delete(ONE, status_code=204, response_class=Response, summary="删除交易信息", responses=ERRORS)
async def delete(transaction_id: TransactionId, principal: Principal = Depends(current_principal),
                 uow: UnitOfWork = Depends(get_uow)):
    await require_confirmed_enterprise(uow, principal)
    row = await _own(uow, principal, transaction_id)
    await delete_transaction(uow, row, actor=principal.account_id, actor_name=principal.username)
    await uow.commit()
    return Response(status_code=204)


async def _trail(uow: UnitOfWork, principal: Principal, transaction_id: uuid.UUID) -> list[TransactionAudit]:
    """The audit trail of a record the caller may read. A deleted record's trail (ending with who deleted
    it, when) stays readable by its own enterprise; anyone else gets 404, as for a record that never was."""
    ensure_reader(principal)
    live = await uow.session.get(Transaction, str(transaction_id))
    if live is not None:
        await _readable(uow, principal, transaction_id)
    query = select(TransactionAudit).where(TransactionAudit.transaction_id == str(transaction_id))
    entries = list(await uow.session.scalars(query.order_by(TransactionAudit.id)))
    if live is None and not (entries and principal.kind == "enterprise"
                             and entries[0].enterprise_id == principal.enterprise_id):
        raise not_found("交易信息")
    return entries


@router.get(ONE + "/history", response_model=list[TransactionHistoryEntry],
            summary="交易信息修改记录（谁、何时、改了什么；已删除的记录本企业仍可查看）")
async def transaction_history(transaction_id: TransactionId, principal: Principal = Depends(current_principal),
                              uow: UnitOfWork = Depends(get_uow)):
    return [history_out(entry, principal) for entry in await _trail(uow, principal, transaction_id)]
