"""Reading one record, the list, a record's audit trail, and the row an edit or delete works on, each as the
caller may (:mod:`.scope`)."""
from __future__ import annotations

import uuid
from typing import Any

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select

from ..models.transactions import Transaction, TransactionAudit
from .scope import can_read, ensure_reader
from .search import TransactionFilters, search_query


async def readable(uow: UnitOfWork, principal: Principal, transaction_id: uuid.UUID) -> Transaction:
    ensure_reader(principal)
    row = await uow.session.get(Transaction, str(transaction_id))
    if row is None or (principal.kind == "enterprise" and not can_read(principal, row)):
        raise not_found("交易信息")
    if not can_read(principal, row):
        raise AppError(403, "region.forbidden", "该交易信息的填报企业不在您的管辖区域内")
    return row


async def own(uow: UnitOfWork, principal: Principal, transaction_id: uuid.UUID) -> Transaction:
    lock = True if uow.db.dialect == "postgresql" else None  # serialise concurrent edits of one record
    row = await uow.session.get(Transaction, str(transaction_id), with_for_update=lock)
    if row is None or row.enterprise_id != principal.enterprise_id:
        raise not_found("交易信息")
    return row


async def trail(uow: UnitOfWork, principal: Principal, transaction_id: uuid.UUID) -> list[TransactionAudit]:
    """The audit trail of a record the caller may read. A deleted record's trail (ending with who deleted
    it, when) stays readable by its own enterprise; anyone else gets 404, as for a record that never was."""
    ensure_reader(principal)
    live = await uow.session.get(Transaction, str(transaction_id))
    if live is not None:
        await readable(uow, principal, transaction_id)
    query = select(TransactionAudit).where(TransactionAudit.transaction_id == str(transaction_id))
    entries = list(await uow.session.scalars(query.order_by(TransactionAudit.id)))
    if live is None and not (entries and principal.kind == "enterprise"
                             and entries[0].enterprise_id == principal.enterprise_id):
        raise not_found("交易信息")
    return entries


async def search_page(uow: UnitOfWork, principal: Principal, filters: TransactionFilters,
                      params: PageParams) -> tuple[list[Any], int]:
    """One page of the records ``principal`` may read that match ``filters``, and how many match in all."""
    return await paginate(uow.session, search_query(principal, filters), params)
