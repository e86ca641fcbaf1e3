"""Agency keys (公安查询密钥): issuing, listing and revoking them, finding the caller's, and the look-up log
(every police look-up leaves a row). Each act runs in the caller's unit of work; the caller commits."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.errors import not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import select

from ..domain.agency_keys import key_hash, new_key, shown_prefix
from ..models import AgencyKey, PoliceAccess


def issue_key(uow: UnitOfWork, agency: str, name: str, account_id: str) -> tuple[AgencyKey, str]:
    """A new key's row and the key itself (shown this once; only its hash is kept)."""
    key = new_key()
    row = AgencyKey(agency=agency, name=name, key_hash=key_hash(key), prefix=shown_prefix(key),
                    created_by=account_id, created_at=datetime.now(UTC))
    uow.session.add(row)
    return row, key


async def all_keys(uow: UnitOfWork) -> list[AgencyKey]:
    """Every key, newest first."""
    return list((await uow.session.scalars(select(AgencyKey).order_by(AgencyKey.created_at.desc()))).all())


async def revoke_key(uow: UnitOfWork, key_id: str) -> None:
    """Revoked from now on (a key revoked before keeps its time); 404 for an unknown key."""
    row = await uow.session.get(AgencyKey, key_id[:36])
    if row is None:
        raise not_found("查询密钥")
    row.revoked_at = row.revoked_at or datetime.now(UTC)


async def key_of(uow: UnitOfWork, secret: str) -> AgencyKey | None:
    """The key whose hash ``secret`` has (revoked or not), if any."""
    return await uow.session.scalar(select(AgencyKey).where(AgencyKey.key_hash == key_hash(secret)))


def log_access(uow: UnitOfWork, key: AgencyKey, uscc: str, what: str, status: int) -> None:
    """One look-up in the log; the key was last used now."""
    now = datetime.now(UTC)
    uow.session.add(PoliceAccess(at=now, agency=key.agency, key_id=key.id, uscc=uscc[:30], what=what, status=status))
    key.last_used_at = now


async def access_page(uow: UnitOfWork, uscc: str | None, params: PageParams) -> tuple[list[PoliceAccess], int]:
    """One page of the look-up log (of one enterprise's ``uscc``, unless None), newest first, and the total."""
    query = select(PoliceAccess).order_by(PoliceAccess.at.desc(), PoliceAccess.id.desc())
    if uscc is not None:
        query = query.where(PoliceAccess.uscc == uscc)
    return await paginate(uow.session, query, params)
