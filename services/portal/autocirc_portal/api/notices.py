"""Notices: read by anyone, published by the admin (national) and officials (their region), with attachments."""
from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import full_name
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from ..domain import attachments, rich_text
from ..domain.publishing import CATEGORIES, NATIONAL, ensure_may_edit, publishing_region
from ..models import Attachment, Notice
from ..usecases.notices import attach, attachment_of, files_of, notice_of, notice_page, publish, withdraw
from .schemas import AttachmentOut, Category, NoticeHome, NoticeIn, NoticeOut, NoticeSummary

router = APIRouter(prefix="/api/v1/notices", tags=["portal"])
BASE = "/api/v1/notices"
# The import template is served by transactions (to enterprises); 表格下载 lists it beside the uploaded forms.
TEMPLATE_ID = "import-template"
TEMPLATE_PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)


def _attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(id=a.id, filename=a.filename, size=a.size, content_type=a.content_type,
                         url=f"{BASE}/{a.notice_id}/attachments/{a.id}")


def _summary(n: Notice, files: list[Attachment]) -> dict:
    return {"id": n.id, "category": n.category, "category_label": CATEGORIES[n.category], "title": n.title,
            "published_at": n.published_at, "region_code": n.region_code,
            "region_name": "全国" if n.region_code == NATIONAL else full_name(n.region_code),
            "attachments": [_attachment_out(a) for a in files]}


def _template() -> dict:
    return {"id": TEMPLATE_ID, "category": "download", "category_label": CATEGORIES["download"],
            "title": "二手车交易信息批量导入模板（Excel）", "published_at": TEMPLATE_PUBLISHED, "region_code": NATIONAL,
            "region_name": "全国", "updated_at": TEMPLATE_PUBLISHED,
            "body": "<p>企业登录后下载，按模板填写二手车交易信息后在“批量导入”中上传。</p>",
            "attachments": [AttachmentOut(id="xlsx", filename="二手车交易信息导入模板.xlsx",
                                          url="/api/v1/transactions/import-template.xlsx")]}


async def _page(uow: UnitOfWork, category: str | None, region_code: str | None, params: PageParams):
    items, files, total = await notice_page(uow, category, region_code, params)
    return [_summary(n, files[n.id]) for n in items], total


@router.get("", response_model=Page[NoticeSummary], summary="信息列表（无需登录）")
async def list_notices(category: Category | None = Query(None, description="栏目"),
                       region_code: str | None = Query(None, max_length=6, description="发布地区"),
                       params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    items, total = await _page(uow, category, region_code, params)
    if category == "download" and not region_code:
        total += 1
        if params.page == 1:
            items = [_template(), *items][:params.page_size]
    return Page(items=items, total=total, **params.model_dump())


@router.get("/home", response_model=NoticeHome, summary="首页：各栏目最新信息")
async def home(uow: UnitOfWork = Depends(get_uow)):
    latest = {}
    for category in CATEGORIES:
        latest[category], _ = await _page(uow, category, None, PageParams(page=1, page_size=6))
    latest["download"] = [_template(), *latest["download"]][:6]
    return latest


@router.get("/{notice_id}", response_model=NoticeOut, summary="信息详情（无需登录）")
async def get_notice(notice_id: str, uow: UnitOfWork = Depends(get_uow)):
    if notice_id == TEMPLATE_ID:
        return _template()
    notice = await notice_of(uow, notice_id)
    files = await files_of(uow, [notice.id])
    return {**_summary(notice, files[notice.id]), "body": notice.body, "updated_at": notice.updated_at}


def _clean_body(body: NoticeIn) -> tuple[str, str]:
    found = rich_text.script_in(body.body)
    if found:
        raise field_errors(422, [FieldError(field="body", code="notice.script",
                                            message=f"正文含有不允许的脚本内容（{'、'.join(dict.fromkeys(found))}），请删除后再发布")])
    title = body.title.strip()
    if not title:
        raise field_errors(422, [FieldError(field="title", code="field.required", message="请填写标题")])
    return title, rich_text.sanitise(body.body)


@router.post("", status_code=201, response_model=NoticeOut, summary="发布信息（管理员：全国；主管部门：本辖区）")
async def create_notice(body: NoticeIn, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    region = publishing_region(principal)
    title, html = _clean_body(body)
    notice = publish(uow, principal, region, body.category, title, html)
    await uow.commit()
    return {**_summary(notice, []), "body": notice.body, "updated_at": notice.updated_at}


@router.put("/{notice_id}", response_model=NoticeOut, summary="修改信息")
async def update_notice(notice_id: str, body: NoticeIn, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    publishing_region(principal)
    notice = await notice_of(uow, notice_id)
    ensure_may_edit(principal, notice.region_code)
    notice.title, notice.body = _clean_body(body)
    notice.category, notice.updated_at = body.category, datetime.now(UTC)
    await uow.commit()
    files = await files_of(uow, [notice.id])
    return {**_summary(notice, files[notice.id]), "body": notice.body, "updated_at": notice.updated_at}


@router.delete("/{notice_id}", status_code=204, summary="删除信息")
async def delete_notice(notice_id: str, principal: Principal = Depends(current_principal),
                        uow: UnitOfWork = Depends(get_uow)):
    publishing_region(principal)
    notice = await notice_of(uow, notice_id)
    ensure_may_edit(principal, notice.region_code)
    await withdraw(uow, notice)
    await uow.commit()
    return Response(status_code=204)


@router.post("/{notice_id}/attachments", status_code=201, response_model=AttachmentOut,
             summary="上传附件（PDF、Word、Excel、ZIP，不超过20MB）",
             responses={413: {"description": "超过20MB"}, 415: {"description": "类型不符"}})
async def add_attachment(notice_id: str, request: Request, file: UploadFile = File(description="附件"),
                         principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    publishing_region(principal)
    notice = await notice_of(uow, notice_id)
    ensure_may_edit(principal, notice.region_code)
    data = await file.read(attachments.MAX_BYTES + 1)
    filename = attachments.clean_filename(file.filename)
    content_type = attachments.check(filename, data)
    row = await attach(uow, request.app.state.blobs, notice, filename, content_type, data)
    await uow.commit()
    return _attachment_out(row)


@router.get("/{notice_id}/attachments/{attachment_id}", summary="下载附件（无需登录）",
            responses={200: {"content": {"application/octet-stream": {}}}})
async def download_attachment(notice_id: str, attachment_id: str, request: Request,
                              uow: UnitOfWork = Depends(get_uow)):
    row, data = await attachment_of(uow, request.app.state.blobs, notice_id, attachment_id)
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in row.filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row.filename)}"
    return Response(data, media_type=row.content_type,
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})
