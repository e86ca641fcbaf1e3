"""The caller's own account (/me): reading it, its reserved contact (for password reset), its own password change.
In the caller's unit of work; the caller commits."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.events.identity import ContactChanged
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.validation import validate_password

from ..domain.passwords import Passwords
from ..models import Account, Enterprise
from .credentials import replace_password


async def own_account(uow: UnitOfWork, account_id: str) -> Account:
    """The token's account; 401 ``auth.invalid_token`` when it is gone."""
    account = await uow.session.get(Account, account_id)
    if account is None:
        raise AppError(401, "auth.invalid_token", "账户不存在，请重新登录")
    return account


async def enterprise_of(uow: UnitOfWork, account: Account) -> Enterprise | None:
    return await uow.session.get(Enterprise, account.enterprise_id) if account.enterprise_id else None


def set_contact(uow: UnitOfWork, account: Account, enterprise: Enterprise | None, email: str | None,
                mobile: str | None) -> None:
    """The reserved e-mail (``""`` clears it; a change is announced) and mobile (an enterprise's is its filler's);
    ``None`` leaves either as it is."""
    if email is not None and (email or None) != account.email:
        account.email = email or None
        uow.emit(ContactChanged(account_id=account.id, kind=account.kind, enterprise_id=account.enterprise_id,
                                email=account.email, changed_at=datetime.now(UTC)))
    if mobile is not None:
        if enterprise is not None:
            enterprise.filler_mobile = mobile
        else:
            account.mobile = mobile


async def change_own_password(uow: UnitOfWork, passwords: Passwords, principal: Principal, old_password: str,
                              new_password: str) -> None:
    """The caller's password replaced when ``old_password`` is right (422 ``password.old_wrong``) and the new one
    acceptable (422 with the rule's code)."""
    account = await uow.session.get(Account, principal.account_id)
    if account is None or not await passwords.verify(account.password_hash, old_password):
        raise field_errors(422, [FieldError(field="old_password", code="password.old_wrong", message="原密码不正确")])
    issue = validate_password(new_password)
    if issue:
        raise field_errors(422, [FieldError(field="new_password", code=issue.code, message=issue.message)])
    await replace_password(uow, account, await passwords.hash(new_password), action="password.change",
                           actor=principal)
