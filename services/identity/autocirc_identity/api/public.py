"""Endpoints anyone may call: captcha and region lists."""
from __future__ import annotations

from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import children, get_region
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Query

from ..domain import captcha
from ..settings import IdentitySettings
from ..usecases.captcha import issue_captcha
from .deps import settings_of
from .schemas import CaptchaOut, RegionOut

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.get("/captcha", response_model=CaptchaOut, summary="获取验证码图片")
async def new_captcha(uow: UnitOfWork = Depends(get_uow), settings: IdentitySettings = Depends(settings_of)):
    row = await issue_captcha(uow, settings)
    await uow.commit()
    return CaptchaOut(captcha_id=row.id, image=captcha.data_url(captcha.render_png(row.answer)))


@router.get("/regions", response_model=list[RegionOut], summary="行政区划（GB/T 2260）：省 → 市 → 区县")
async def list_regions(parent: str | None = Query(None, description="上级区划代码；不填返回省级", max_length=6)):
    if parent is not None and get_region(parent) is None:
        raise AppError(404, "region.unknown", "行政区划代码不存在")
    return [RegionOut(code=r.code, name=r.name, level=r.level) for r in children(parent)]
