"""导出: the filtered list as a workbook in the import template's columns (it imports back as it is).

Takes the list's filters and query (``search_query``); rows are streamed from the database in
batches and written in write-only mode in a worker thread, then the file is streamed out.
Officials get their region's records with ID numbers and mobiles masked, as in the list.
"""
from __future__ import annotations

from urllib.parse import quote

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import china_today
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from ..excel.writing import XLSX, chunks
from ..usecases.export import export_workbook
from ..usecases.search import TransactionFilters
from .params import transaction_filters

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions-excel"])


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


@router.get("/export.xlsx", summary="导出交易信息（Excel，与导入模板同列）", response_class=StreamingResponse,
            responses={200: {"content": {XLSX: {}}}, 422: {"description": "符合条件的记录过多（export.too_many_rows）"}})
async def export_xlsx(filters: TransactionFilters = Depends(transaction_filters),
                      principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    file = await export_workbook(uow, principal, filters)
    await uow.commit()
    return StreamingResponse(chunks(file), media_type=XLSX,
                             headers=attachment(f"车辆交易信息_{china_today():%Y%m%d}.xlsx"))
