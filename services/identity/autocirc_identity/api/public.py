"""Endpoints anyone may call: captcha and region lists."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, FieldError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import children, get_region
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Query
from sqlalchemy import delete

from ..domain import captcha
from ..models import Captcha
from ..settings import IdentitySettings
from .deps import settings_of
from .schemas import CaptchaOut, RegionOut

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.get("/captcha", response_model=CaptchaOut, summary="获取验证码图片")
async def new_captcha(uow: UnitOfWork = Depends(get_uow), settings: IdentitySettings = Depends(settings_of)):
    now = datetime.now(UTC)
    answer = captcha.new_answer()
    row = Captcha(answer=answer, expires_at=now + timedelta(seconds=settings.captcha_ttl_seconds))
    uow.session.add(row)
    await uow.session.execute(delete(Captcha).where(Captcha.expires_at < now))
    await uow.commit()
    return CaptchaOut(captcha_id=row.id, image=captcha.data_url(captcha.render_png(answer)))


@router.get("/regions", response_model=list[RegionOut], summary="行政区划（GB/T 2260）：省 → 市 → 区县")
async def list_regions(parent: str | None = Query(None, description="上级区划代码；不填返回省级", max_length=6)):
    if parent is not None and get_region(parent) is None:
        raise AppError(404, "region.unknown", "行政区划代码不存在")
    return [RegionOut(code=r.code, name=r.name, level=r.level) for r in children(parent)]


async def check_captcha(uow: UnitOfWork, settings: IdentitySettings, captcha_id: str | None, answer: str | None) -> None:
    """One-time check: the captcha is consumed whether the answer is right or wrong."""
    if settings.captcha == "off":
        return
    row = await uow.session.get(Captcha, captcha_id) if captcha_id else None
    if row is not None:
        await uow.session.delete(row)
        await uow.session.commit()
    expires = as_utc(row.expires_at) if row else None
    if row is None or expires < datetime.now(UTC) or not captcha.answers_match(row.answer, answer):
        raise AppError(422, "captcha.wrong", "验证码错误或已过期，请重新输入",
                       errors=[FieldError(field="captcha_answer", code="captcha.wrong", message="验证码错误或已过期")])
