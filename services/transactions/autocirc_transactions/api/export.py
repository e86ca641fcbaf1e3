"""导出: the filtered list as a workbook in the import template's columns (it imports back as it is).

Takes the list's filters and query (``search_query``); rows are streamed from the database in
batches and written in write-only mode in a worker thread, then the file is streamed out.
Officials get their region's records with ID numbers and mobiles masked, as in the list.
"""
from __future__ import annotations

import asyncio
from urllib.parse import quote

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import china_today
from autocirc_shared.errors import AppError
from autocirc_shared.masking import mask_personal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select

from ..excel.export_book import ExportBook
from ..excel.limits import import_limits
from ..excel.writing import XLSX, chunks
from ..models.transactions import Transaction
from ..usecases.scope import is_official
from ..usecases.search import TransactionFilters, search_query
from .params import transaction_filters

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions-excel"])
BATCH = 500


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


@router.get("/export.xlsx", summary="导出交易信息（Excel，与导入模板同列）", response_class=StreamingResponse,
            responses={200: {"content": {XLSX: {}}}, 422: {"description": "符合条件的记录过多（export.too_many_rows）"}})
async def export_xlsx(filters: TransactionFilters = Depends(transaction_filters),
                      principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
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
    await uow.commit()
    return StreamingResponse(chunks(file), media_type=XLSX,
                             headers=attachment(f"车辆交易信息_{china_today():%Y%m%d}.xlsx"))
