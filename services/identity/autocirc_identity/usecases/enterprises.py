"""Enterprises: registration (企业注册), what a caller may see of them, a profile change (a residence move of a filed
enterprise waits for the new region's official), and an official's reset of an enterprise's password."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, not_found
from autocirc_shared.events.identity import EnterpriseRegistered, EnterpriseUpdated, Residence, ResidenceChangeRequested
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.text_search import contains_text
from autocirc_shared.validation import normalise_uscc
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..domain.enterprise_types import EnterpriseType
from ..domain.passwords import Passwords, temporary_password
from ..domain.registration import RegistrationLike, normalise_code
from ..domain.residence import pending_region
from ..models import Account, Enterprise
from .credentials import replace_password

TAKEN = {
    "uscc": ("uscc.taken", "该统一社会信用代码已注册"),
    "business_licence_no": ("licence_no.taken", "该工商营业执照号已注册"),
}


def residence_of(enterprise: Enterprise) -> Residence:
    return Residence(province_code=enterprise.province_code, city_code=enterprise.city_code,
                     district_code=enterprise.district_code, street=enterprise.street)


def _taken(field: str) -> AppError:
    code, message = TAKEN[field]
    return AppError(409, code, message, [FieldError(field=field, code=code, message=message)])


async def register_enterprise(uow: UnitOfWork, passwords: Passwords, form: RegistrationLike
                              ) -> tuple[Enterprise, str | None]:
    """A checked form (``check_registration``) → the enterprise, its account and the announcement, committed
    here: a code already registered, or registered concurrently (the unique index decides), is 409 ``uscc.taken``
    / ``licence_no.taken``. Also the account's username (the USCC, else the licence number)."""
    uscc = normalise_uscc(form.uscc) if form.has_uscc and form.uscc else None
    licence = normalise_code(form.business_licence_no)
    for field, value in (("uscc", uscc), ("business_licence_no", licence)):
        if value and await uow.session.scalar(select(Enterprise.id).where(
                or_(Enterprise.uscc == value, Enterprise.business_licence_no == value))):
            raise _taken(field)
    username = uscc or licence
    enterprise = Enterprise(
        name=form.name.strip(), has_uscc=form.has_uscc, uscc=uscc, business_licence_no=licence,
        org_code=normalise_code(form.org_code), tax_reg_no=normalise_code(form.tax_reg_no),
        province_code=form.residence.province_code, city_code=form.residence.city_code,
        district_code=form.residence.district_code, street=form.residence.street.strip(),
        types=[EnterpriseType(t).value for t in dict.fromkeys(form.types)],
        filler_name=form.filler_name.strip(), filler_mobile=form.filler_mobile.strip(),
        created_at=datetime.now(UTC),
    )
    password_hash = await passwords.hash(form.password)
    try:  # a concurrent registration of the same code passed the check above: the unique index decides
        uow.session.add(enterprise)
        await uow.session.flush()
        uow.session.add(Account(username=username, password_hash=password_hash, kind="enterprise",
                                name=enterprise.name, enterprise_id=enterprise.id))
        uow.emit(EnterpriseRegistered(
            enterprise_id=enterprise.id, name=enterprise.name, uscc=uscc, business_licence_no=licence,
            types=enterprise.types, region_code=enterprise.region_code, registered_at=enterprise.created_at,
            residence=residence_of(enterprise), filler_name=enterprise.filler_name,
            tax_reg_no=enterprise.tax_reg_no, org_code=enterprise.org_code))
        await uow.commit()
    except IntegrityError:
        raise _taken("uscc" if uscc else "business_licence_no") from None
    return enterprise, username


async def visible_enterprise(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> Enterprise:
    """Own enterprise, or one inside an official's region; anything else looks absent (404)."""
    enterprise = await uow.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise not_found("企业")
    if principal.kind == "enterprise" and principal.enterprise_id != enterprise.id:
        raise not_found("企业")
    if principal.kind == "official" and not covers(principal, enterprise.region_code):
        raise AppError(403, "region.forbidden", "该企业不在您的管辖区域内")
    return enterprise


async def enterprise_page(uow: UnitOfWork, principal: Principal, q: str | None, params: PageParams
                          ) -> tuple[list[Enterprise], int]:
    """Newest first, matching ``q`` by name or code; an official's, those of its region."""
    query = select(Enterprise).order_by(Enterprise.created_at.desc())
    if q:
        query = query.where(contains_text(q, Enterprise.name, Enterprise.uscc, Enterprise.business_licence_no))
    if principal.kind == "official" and (codes := codes_within(principal.region_code)) is not None:
        query = query.where(Enterprise.region_code.in_(sorted(codes)))
    return await paginate(uow.session, query, params)


async def enterprise_for_update(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> Enterprise:
    """As ``visible_enterprise``, locked against filing's events deciding a move meanwhile."""
    enterprise = await visible_enterprise(uow, principal, enterprise_id)
    await uow.refresh_for_update(enterprise)
    return enterprise


def change_profile(uow: UnitOfWork, enterprise: Enterprise, *, residence: dict[str, str] | None,
                   filler_name: str | None, filler_mobile: str | None, org_code: str | None,
                   tax_reg_no: str | None) -> None:
    """The checked changes (``None``: unchanged) applied and announced; a filed enterprise's move to another
    region is part of the 备案登记表, a filing change the new region's official confirms: until then it is pending.
    The caller commits."""
    now = datetime.now(UTC)
    if residence:
        if enterprise.filed and pending_region(residence) != enterprise.region_code:
            enterprise.pending_residence = residence
            uow.emit(ResidenceChangeRequested(enterprise_id=enterprise.id, region_code=pending_region(residence),
                                              residence=residence, requested_at=now))
        else:
            enterprise.province_code, enterprise.city_code = residence["province_code"], residence["city_code"]
            enterprise.district_code, enterprise.street = residence["district_code"], residence["street"]
    if filler_name is not None:
        enterprise.filler_name = filler_name.strip()
    if filler_mobile is not None:
        enterprise.filler_mobile = filler_mobile.strip()
    if org_code is not None:
        enterprise.org_code = normalise_code(org_code)
    if tax_reg_no is not None:
        enterprise.tax_reg_no = normalise_code(tax_reg_no)
    uow.emit(EnterpriseUpdated(enterprise_id=enterprise.id, region_code=enterprise.region_code, updated_at=now,
                               residence=residence_of(enterprise)))


async def reset_enterprise_password(uow: UnitOfWork, passwords: Passwords, principal: Principal,
                                    enterprise: Enterprise) -> str:
    """A temporary password for the enterprise's account (404 without one), audited; the caller commits."""
    account = await uow.session.scalar(select(Account).where(Account.enterprise_id == enterprise.id))
    if account is None:
        raise not_found("企业账户")
    temporary = temporary_password()
    await replace_password(uow, account, await passwords.hash(temporary), action="password.reset", actor=principal,
                           temporary=True, subject=f"enterprise:{enterprise.id}",
                           details={"enterprise_name": enterprise.name, "username": account.username})
    return temporary
