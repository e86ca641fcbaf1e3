"""Officials (商务主管部门用户): creating one, the page an admin or a province official sees, and setting a review
right, then waiting for filing to hold it (ReviewRightApplied)."""
from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.events.identity import OfficialChanged
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.passwords import Passwords
from ..models import Account

REVIEW_POLL_SECONDS = 0.02


def _changed(a: Account) -> OfficialChanged:
    return OfficialChanged(official_id=a.id, username=a.username, level=a.level, region_code=a.region_code,
                           can_review=a.can_review, changed_at=datetime.now(UTC))


async def create_official(uow: UnitOfWork, passwords: Passwords, actor: Principal, *, username: str, password: str,
                          name: str, level: str, region_code: str, can_review: bool) -> Account:
    """The new official, announced and audited, committed here (the unique username decides between two
    concurrent creations: 409 ``username.taken`` either way)."""
    if await uow.session.scalar(select(Account.id).where(Account.username == username)):
        raise AppError(409, "username.taken", "用户名已存在")
    account = Account(username=username, password_hash=await passwords.hash(password), kind="official",
                      name=name, level=level, region_code=region_code, can_review=can_review,
                      created_by=actor.account_id)
    uow.session.add(account)
    await uow.session.flush()
    uow.emit(_changed(account))
    await record_audit(uow, actor, "official.create", f"official:{account.id}", account.region_code,
                       {"username": account.username, "level": account.level, "can_review": account.can_review})
    try:
        await uow.commit()
    except IntegrityError:
        raise AppError(409, "username.taken", "用户名已存在") from None
    return account


async def official_page(uow: UnitOfWork, actor: Principal, params: PageParams) -> tuple[list[Account], int]:
    """The officials ``actor`` may see (a province official: the others of its province), by region and name."""
    query = select(Account).where(Account.kind == "official").order_by(Account.region_code, Account.username)
    if actor.kind == "official":
        query = query.where(Account.id != actor.account_id)
        if (within := codes_within(actor.region_code)) is not None:
            query = query.where(Account.region_code.in_(sorted(within)))
    return await paginate(uow.session, query, params)


async def official_of(uow: UnitOfWork, official_id: str) -> Account:
    account = await uow.session.get(Account, official_id)
    if account is None or account.kind != "official":
        raise not_found("主管部门用户")
    return account


async def set_review_right(uow: UnitOfWork, actor: Principal, account: Account, can_review: bool) -> datetime:
    """The right set and announced (audited when it changes); when it changed, for ``filing_holds``. The caller
    commits."""
    previous = account.can_review
    account.can_review = can_review
    event = _changed(account)
    account.review_changed_at = event.changed_at
    uow.emit(event)
    if previous != can_review:
        await record_audit(uow, actor, "review_right.grant" if can_review else "review_right.revoke",
                           f"official:{account.id}", account.region_code, {"username": account.username})
    return event.changed_at


async def filing_holds(uow: UnitOfWork, official_id: str, changed_at: datetime, wait_seconds: float) -> bool:
    """Wait until filing confirmed applying the change (ReviewRightApplied), so that once the PATCH answers 200
    no reviewer can confirm on the old right. Each look ends its transaction (SQLite keeps a snapshot)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        applied = await uow.session.scalar(select(Account.review_applied_at).where(Account.id == official_id))
        await uow.session.rollback()
        if applied is not None and as_utc(applied) >= changed_at:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(REVIEW_POLL_SECONDS)
