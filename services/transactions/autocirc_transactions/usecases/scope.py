"""Which records a reader may see: an enterprise its own, an official those of enterprises in its region."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError
from autocirc_shared.refdata.regions import codes_within, region_covers
from sqlalchemy import Select

from ..models.transactions import Transaction


def ensure_reader(principal: Principal) -> None:
    if principal.kind == "enterprise" and principal.enterprise_id:
        return
    if principal.kind == "official" and principal.region_code:
        return
    raise AppError(403, "forbidden.role", "当前账户无权查看二手车交易信息")


def is_official(principal: Principal) -> bool:
    return principal.kind == "official"


def scoped(query: Select, principal: Principal) -> Select:
    """Restrict ``query`` (over ``Transaction``) to what ``principal`` may read."""
    ensure_reader(principal)
    if principal.kind == "enterprise":
        return query.where(Transaction.enterprise_id == principal.enterprise_id)
    codes = codes_within(principal.region_code)
    return query if codes is None else query.where(Transaction.region_code.in_(sorted(codes)))


def can_read(principal: Principal, row: Transaction) -> bool:
    ensure_reader(principal)
    if principal.kind == "enterprise":
        return row.enterprise_id == principal.enterprise_id
    return region_covers(principal.region_code, row.region_code)
