"""The one-time captcha asked on registration, login and password reset: issuing one (and clearing the expired
ones) and checking an answer."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, FieldError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import delete

from ..domain import captcha
from ..models import Captcha
from ..settings import IdentitySettings


async def issue_captcha(uow: UnitOfWork, settings: IdentitySettings) -> Captcha:
    """A new captcha row with a fresh answer, the expired ones deleted; the caller commits."""
    now = datetime.now(UTC)
    row = Captcha(answer=captcha.new_answer(), expires_at=now + timedelta(seconds=settings.captcha_ttl_seconds))
    uow.session.add(row)
    await uow.session.execute(delete(Captcha).where(Captcha.expires_at < now))
    return row


async def check_captcha(uow: UnitOfWork, settings: IdentitySettings, captcha_id: str | None, answer: str | None) -> None:
    """One-time check: the captcha is consumed (committed) whether the answer is right or wrong; 422
    ``captcha.wrong`` unless it is right and unexpired."""
    if settings.captcha == "off":
        return
    row = await uow.session.get(Captcha, captcha_id) if captcha_id else None
    if row is not None:
        await uow.session.delete(row)
        await uow.session.commit()
    if row is None or as_utc(row.expires_at) < datetime.now(UTC) or not captcha.answers_match(row.answer, answer):
        raise AppError(422, "captcha.wrong", "验证码错误或已过期，请重新输入",
                       errors=[FieldError(field="captcha_answer", code="captcha.wrong", message="验证码错误或已过期")])
