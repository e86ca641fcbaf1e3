"""Who may enter used-car records: enterprises whose filing was confirmed at least once and whose
types include a used-car type (seed 2.3: 确认通过后，企业才可进行二手车单车信息录入等操作).

What this service knows of an enterprise comes from events only (identity's registration and
updates, filing's confirmations and revocations), kept in ``EnterpriseGate``. Each region carries the time it
was true, so events arriving out of order never put an older region back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import bindparam, select, update

from ..models.transactions import EnterpriseGate, Transaction

USED_CAR_TYPES = frozenset({"used_car_market", "used_car_appraiser", "used_car_dealer", "used_car_broker",
                            "used_car_auction"})
NOT_CONFIRMED = "filing.not_confirmed"
# Read on every entry, edit and delete: a Core select built once (the ORM's get costs more than the query).
_GATE = EnterpriseGate.__table__
GATE_ROW = select(_GATE).where(_GATE.c.enterprise_id == bindparam("enterprise_id"))


@dataclass(frozen=True)
class EnterpriseContext:
    """What the gate knows of an enterprise allowed to enter records."""

    enterprise_id: str
    name: str
    region_code: str
    types: tuple[str, ...]
    filing_version: int


def ensure_enterprise(principal: Principal) -> str:
    if principal.kind != "enterprise" or not principal.enterprise_id:
        raise AppError(403, "forbidden.role", "只有企业用户可以录入、修改或删除交易信息")
    return principal.enterprise_id


async def require_confirmed_enterprise(uow: UnitOfWork, principal: Principal) -> EnterpriseContext:
    """The caller's enterprise if it may enter records, else 403 ``filing.not_confirmed``."""
    row = (await uow.session.execute(GATE_ROW, {"enterprise_id": ensure_enterprise(principal)})).first()
    return confirmed(row)


def confirmed(row: Any) -> EnterpriseContext:
    """The gate's verdict on an enterprise's row (a Core row with the gate's columns; None: unknown here)."""
    if row is None or row.confirmed_version is None:
        raise AppError(403, NOT_CONFIRMED, "企业备案信息尚未经商务主管部门确认，暂不能录入二手车交易信息")
    if not EnterpriseGate.in_force(row.confirmed_version, row.revoked_version):  # a Core row: no properties
        raise AppError(403, NOT_CONFIRMED, "企业备案已被注销，重新备案并经确认后才能录入二手车交易信息")
    if not USED_CAR_TYPES.intersection(row.types):
        raise AppError(403, NOT_CONFIRMED, "本企业备案的企业类型不含二手车企业，不能录入二手车交易信息")
    return EnterpriseContext(row.enterprise_id, row.name, row.region_code, tuple(row.types), row.confirmed_version)


async def learn_enterprise(uow: UnitOfWork, enterprise_id: str, *, region_code: str, as_of: datetime,
                           name: str | None = None, types: list[str] | None = None,
                           uscc: str | None = None) -> EnterpriseGate:
    """Create or update the projection; the region only moves forward in time (and follows onto the records)."""
    row = await uow.session.get(EnterpriseGate, enterprise_id)
    if row is None:
        row = EnterpriseGate(enterprise_id=enterprise_id, name=name or "", types=list(types or []),
                             region_code=region_code, region_as_of=as_of, uscc=uscc)
        uow.session.add(row)
        return row
    if name:
        row.name = name
    if uscc:
        row.uscc = uscc
    if types:
        row.types = list(types)
    if as_utc(as_of) >= as_utc(row.region_as_of) and region_code != row.region_code:
        row.region_code, row.region_as_of = region_code, as_of
        await uow.session.execute(update(Transaction).where(Transaction.enterprise_id == enterprise_id)
                                  .values(region_code=region_code))
    return row
