"""Registering an enterprise (企业注册): the enterprise, its account and ``identity.enterprise_registered.v1``.

Commits itself: a concurrent registration of the same code passes the look-up, and the unique index decides
(409 ``uscc.taken`` / ``licence_no.taken``)."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.errors import AppError, FieldError
from autocirc_shared.events.identity import EnterpriseRegistered, Residence
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.validation import normalise_uscc
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..domain.passwords import Passwords
from ..domain.registration import normalise_code
from ..models import Account, Enterprise


def residence_of(enterprise: Enterprise) -> Residence:
    return Residence(province_code=enterprise.province_code, city_code=enterprise.city_code,
                     district_code=enterprise.district_code, street=enterprise.street)

TAKEN = {
    "uscc": ("uscc.taken", "该统一社会信用代码已注册"),
    "business_licence_no": ("licence_no.taken", "该工商营业执照号已注册"),
}


async def register_enterprise(uow: UnitOfWork, passwords: Passwords, body) -> tuple[Enterprise, str]:
    """The registered enterprise and its account's username (a checked ``RegistrationIn``); committed."""
    uscc = normalise_uscc(body.uscc) if body.has_uscc and body.uscc else None
    licence = normalise_code(body.business_licence_no)
    for field, value in (("uscc", uscc), ("business_licence_no", licence)):
        if value and await uow.session.scalar(select(Enterprise.id).where(
                or_(Enterprise.uscc == value, Enterprise.business_licence_no == value))):
            code, message = TAKEN[field]
            raise AppError(409, code, message, [FieldError(field=field, code=code, message=message)])
    username = uscc or licence
    enterprise = Enterprise(
        name=body.name.strip(), has_uscc=body.has_uscc, uscc=uscc, business_licence_no=licence,
        org_code=normalise_code(body.org_code), tax_reg_no=normalise_code(body.tax_reg_no),
        province_code=body.residence.province_code, city_code=body.residence.city_code,
        district_code=body.residence.district_code, street=body.residence.street.strip(),
        types=[t.value for t in dict.fromkeys(body.types)],
        filler_name=body.filler_name.strip(), filler_mobile=body.filler_mobile.strip(),
        created_at=datetime.now(UTC),
    )
    password_hash = await passwords.hash(body.password)
    try:  # a concurrent registration of the same code passed the check above: the unique index decides
        uow.session.add(enterprise)
        await uow.session.flush()
        uow.session.add(Account(username=username, password_hash=password_hash, kind="enterprise",
                                name=enterprise.name, enterprise_id=enterprise.id))
        uow.emit(EnterpriseRegistered(
            enterprise_id=enterprise.id, name=enterprise.name, uscc=uscc, business_licence_no=licence,
            types=enterprise.types, region_code=enterprise.region_code, registered_at=enterprise.created_at,
            residence=residence_of(enterprise), filler_name=enterprise.filler_name))
        await uow.commit()
    except IntegrityError:
        field = "uscc" if uscc else "business_licence_no"
        code, message = TAKEN[field]
        raise AppError(409, code, message, [FieldError(field=field, code=code, message=message)]) from None
    return enterprise, username
