"""批量导入 (seed 2.4.2 导入): the template download, uploads as background jobs, their progress and
the errors workbook. Jobs belong to the uploading enterprise; anyone else gets 404."""
from __future__ import annotations

import asyncio
from datetime import datetime

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_runtime, get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from ..excel.errors_book import build_errors_book
from ..excel.limits import ImportLimits, import_limits
from ..excel.safety import too_large
from ..excel.template import template_bytes
from ..excel.writing import XLSX, chunks
from ..models.imports import FAILED, ImportJob
from ..usecases.gate import require_confirmed_enterprise
from ..usecases.import_jobs import blobs_of, enterprise_jobs, own_job, release_connection, submit
from ..usecases.upload_retention import GONE
from .export import attachment

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions-excel"])
TEMPLATE_NAME = "车辆交易信息.xlsx"
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "导入文件（.xlsx，按导入模板填写）"}}}}}}}


class ImportCellError(BaseModel):
    row: int | None = Field(description="工作表中的行号（表头为第1行）；整个文件的问题为空")
    column: str | None = Field(description="列名（导入模板表头）")
    cell: str | None = Field(None, description="单元格，如 I5")
    field: str | None = Field(None, description="字段路径，如 buyer.id_number")
    code: str = Field(description="错误代码")
    message: str = Field(description="中文错误说明")


class ImportWarning(BaseModel):
    vin: str = Field(description="车辆识别代号")
    trade_date: str = Field(description="交易日期")
    code: str = Field(description="提示代码：mileage.decreased / vin.concurrent_trade / date.purchase_before_registration")
    message: str = Field(description="中文提示（不含其他企业的任何信息）")


class ImportJobOut(BaseModel):
    job_id: str = Field(description="导入任务标识")
    status: str = Field(description="状态：queued 排队中 / running 导入中 / succeeded 成功 / failed 失败")
    phase: str = Field(description="阶段：queued / validating 校验 / storing 保存 / succeeded / failed")
    filename: str = Field(description="文件名")
    total_rows: int = Field(description="数据行数")
    processed_rows: int = Field(description="已校验行数")
    imported: int = Field(description="新保存的记录数")
    duplicates: int = Field(description="已存在而跳过的记录数（同一车辆识别代号且同一交易日期）")
    error_count: int = Field(description="错误总数（errors 最多列出前若干条）")
    errors: list[ImportCellError] = Field(description="每个出错的单元格")
    warning_count: int = Field(0, description="提示总数（导入成功时；不影响导入）")
    warnings: list[ImportWarning] = Field(default_factory=list, description="合理性提示：里程低于此前记录、同日其他企业已录入")
    created_at: datetime
    finished_at: datetime | None


class ImportAccepted(BaseModel):
    job_id: str = Field(description="导入任务标识")
    status: str = Field(description="任务状态")


def job_out(job: ImportJob) -> ImportJobOut:
    errors = list(job.errors or [])
    if job.failure:
        errors.insert(0, {"row": None, "column": None, **job.failure})
    return ImportJobOut(job_id=job.id, status=job.status, phase=job.phase, filename=job.filename,
                        total_rows=job.total_rows, processed_rows=job.processed_rows, imported=job.imported,
                        duplicates=job.duplicates, error_count=job.error_count + (1 if job.failure else 0),
                        errors=errors, warnings=job.warnings or [], warning_count=job.warning_count or 0,
                        created_at=job.created_at, finished_at=job.finished_at)


async def read_upload(request: Request, limits: ImportLimits) -> tuple[str, bytes]:
    """The multipart ``file``, refused with 413 as soon as the body outgrows the limit."""
    cap = limits.max_bytes + MULTIPART_SLACK
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large(f"文件不能超过 {limits.max_bytes // (1024 * 1024)} MB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise too_large(f"文件不能超过 {limits.max_bytes // (1024 * 1024)} MB")

    async def replay() -> dict:
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=8)
    except Exception:
        raise AppError(415, "import.type", "请以 multipart/form-data 上传 file 字段（.xlsx 文件）") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise AppError(422, "import.file_required", "请选择要导入的 Excel 文件（file 字段）")
    name = upload.filename or "upload.xlsx"
    if name.lower().endswith((".xlsm", ".xltm", ".xlam")):
        raise AppError(415, "import.type", "不支持含宏的工作簿（.xlsm），请另存为 .xlsx 后再导入")
    data = await upload.read()
    await form.close()
    if len(data) > limits.max_bytes:
        raise too_large(f"文件不能超过 {limits.max_bytes // (1024 * 1024)} MB")
    return name, data


@router.get("/import-template.xlsx", summary="下载 Excel 导入模版（车辆交易信息.xlsx）", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
async def import_template(_: Principal = Depends(current_principal)):
    data = await asyncio.to_thread(template_bytes)
    return Response(data, media_type=XLSX, headers=attachment(TEMPLATE_NAME))


@router.post("/imports", status_code=202, response_model=ImportAccepted, summary="批量导入（后台任务）",
             openapi_extra=UPLOAD_BODY, responses={
                 403: {"description": "备案未确认（filing.not_confirmed）"},
                 413: {"description": "文件过大或疑似压缩炸弹（import.too_large）"},
                 415: {"description": "不是 .xlsx 工作簿或含宏（import.type）"},
                 422: {"description": "表头不符（import.header）、行数超限（import.too_many_rows）、文件损坏等"}})
async def create_import(request: Request, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    await require_confirmed_enterprise(uow, principal)  # before reading up to 50 MB
    await release_connection(uow)  # hold no connection while the upload arrives
    filename, data = await read_upload(request, import_limits())
    job = await submit(get_runtime(request), uow, principal, filename, data)
    return ImportAccepted(job_id=job.id, status=job.status)


@router.get("/imports", response_model=Page[ImportJobOut], summary="本企业的导入任务")
async def list_imports(params: PageParams = Depends(page_params), principal: Principal = Depends(current_principal),
                       uow: UnitOfWork = Depends(get_uow)):
    jobs, total = await enterprise_jobs(uow, principal, params)
    return Page(items=[job_out(job) for job in jobs], total=total, **params.model_dump())


@router.get("/imports/{job_id}", response_model=ImportJobOut, summary="导入进度与结果")
async def get_import(job_id: str, principal: Principal = Depends(current_principal),
                     uow: UnitOfWork = Depends(get_uow)):
    return job_out(await own_job(uow, principal, job_id))


@router.get("/imports/{job_id}/errors.xlsx", summary="下载标出错误的工作簿", response_class=StreamingResponse,
            responses={200: {"content": {XLSX: {}}}, 409: {"description": "该导入没有单元格错误（import.no_errors）"}})
async def import_errors(job_id: str, request: Request, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    job = await own_job(uow, principal, job_id)
    if job.status != FAILED or not job.errors:
        raise AppError(409, "import.no_errors", "该导入任务没有单元格错误，无需下载错误工作簿")
    if job.blob_key == GONE:
        days = get_runtime(request).settings.import_errors_keep_days
        raise AppError(410, "import.errors_expired", f"错误标注工作簿只保留 {days:g} 天，已删除；请修改后重新上传")
    data = await blobs_of(get_runtime(request)).get(job.blob_key)
    file = await asyncio.to_thread(build_errors_book, data, job.errors, import_limits())
    stem = job.filename.rsplit(".", 1)[0]
    return StreamingResponse(chunks(file), media_type=XLSX, headers=attachment(f"{stem}_错误标注.xlsx"))
