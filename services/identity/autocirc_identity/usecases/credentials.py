"""A password changes in one place, however it is changed (own change, an official's reset, a self-service
reset): the hash is replaced, the old sessions end (every token issued before now is stale, here at once and
in every service through ``identity.credentials_changed.v1``) and the act is audited."""
from __future__ import annotations

from autocirc_shared.audit import record_audit
from autocirc_shared.auth.freshness import announce_credentials_changed
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..models import Account, Enterprise
from .accounts import set_password

# action code of the audit trail → the reason carried by the event
REASONS = {"password.change": "change", "password.reset": "reset", "password.self_reset": "self_reset"}


async def region_of(uow: UnitOfWork, account: Account) -> str | None:
    """The account's region: its enterprise's, or the official's own."""
    if account.enterprise_id:
        enterprise = await uow.session.get(Enterprise, account.enterprise_id)
        return enterprise.region_code if enterprise else None
    return account.region_code


async def replace_password(uow: UnitOfWork, account: Account, password_hash: str, *, action: str,
                           actor: Principal | None, temporary: bool = False, subject: str | None = None,
                           details: dict | None = None) -> None:
    """Inside the act's unit of work (the caller commits). ``subject`` names what the audit trail shows as
    acted upon (default the account)."""
    set_password(account, password_hash, temporary=temporary)
    account.password_changed_at = await announce_credentials_changed(uow, account.id, REASONS[action])
    await record_audit(uow, actor, action, subject or f"account:{account.id}", await region_of(uow, account),
                       details)
