"""Create the system administrator ``admin`` on first start when AUTOCIRC_ADMIN_PASSWORD is set."""
from __future__ import annotations

import logging

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.passwords import Passwords
from ..models import Account

log = logging.getLogger(__name__)


async def ensure_admin(uow: UnitOfWork, passwords: Passwords, password: str | None) -> None:
    if not password:
        return
    if await uow.session.scalar(select(Account.id).where(Account.kind == "admin")):
        return
    uow.session.add(Account(username="admin", password_hash=await passwords.hash(password), kind="admin",
                            name="系统管理员"))
    try:
        await uow.commit()
        log.info("created the admin account")
    except IntegrityError:  # another replica created it first
        await uow.rollback()
