"""导出: the filtered list as a workbook in the import template's columns, audited (the caller commits).

Rows are streamed from the database in batches and written in write-only mode in a worker thread.
Officials get their region's records with ID numbers and mobiles masked, as in the list.
"""
from __future__ import annotations

import asyncio
from typing import IO

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError
from autocirc_shared.masking import mask_personal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import func, select

from ..excel.export_book import ExportBook
from ..excel.limits import import_limits
from ..models.transactions import Transaction
from .scope import is_official
from .search import TransactionFilters, search_query

BATCH = 500


async def export_workbook(uow: UnitOfWork, principal: Principal, filters: TransactionFilters) -> IO[bytes]:
    """The workbook of what ``principal`` finds with ``filters`` (422 ``export.too_many_rows`` beyond the import's
    row limit), the export recorded in the audit trail."""
    query = search_query(principal, filters)
    limit = import_limits().max_rows
    total = await uow.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if total and total > limit:
        raise AppError(422, "export.too_many_rows", f"符合条件的记录有 {total} 条，一次最多导出 {limit} 条，请缩小查询范围")
    masked = is_official(principal)
    book = ExportBook()
    batch: list[dict] = []
    rows = await uow.session.stream_scalars(query.with_only_columns(Transaction.data).execution_options(yield_per=BATCH))
    async for data in rows:
        batch.append(mask_personal(data) if masked else data)
        if len(batch) >= BATCH:
            await asyncio.to_thread(book.append, batch)
            batch = []
    await asyncio.to_thread(book.append, batch)
    file = await asyncio.to_thread(book.finish)
    used = sorted(name for name, value in vars(filters).items() if value not in (None, "") and name != "sort")
    await record_audit(uow, principal, "transactions.export",
                       f"enterprise:{principal.enterprise_id}" if principal.enterprise_id else "transactions",
                       principal.region_code, {"rows": int(total or 0), "filters": used})  # names only: values are personal
    return file
