"""Enterprise registration (企业注册), profile, and officials' view and password reset."""
from __future__ import annotations

from datetime import UTC, datetime

from autocirc_shared.auth.dependencies import current_principal, require_kind
from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.events.identity import (
    EnterpriseRegistered,
    EnterpriseUpdated,
    Residence,
    ResidenceChangeRequested,
)
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within, validate_residence
from autocirc_shared.text_search import contains_text
from autocirc_shared.validation import normalise_uscc, validate_mobile, validate_org_code
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params, paginate
from fastapi import APIRouter, Depends, Query
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..domain.passwords import Passwords, temporary_password
from ..domain.registration import check_registration, check_tax_reg_no, normalise_code
from ..domain.residence import pending_region
from ..models import Account, Enterprise
from ..settings import IdentitySettings
from ..usecases.accounts import enterprise_profile
from ..usecases.credentials import replace_password
from .deps import passwords_of, settings_of
from .public import check_captcha
from .schemas import EnterpriseProfile, EnterpriseUpdateIn, RegistrationIn, RegistrationOut, TemporaryPasswordOut

router = APIRouter(prefix="/api/v1/enterprises", tags=["identity"])


def residence_of(enterprise: Enterprise) -> Residence:
    return Residence(province_code=enterprise.province_code, city_code=enterprise.city_code,
                     district_code=enterprise.district_code, street=enterprise.street)

TAKEN = {
    "uscc": ("uscc.taken", "该统一社会信用代码已注册"),
    "business_licence_no": ("licence_no.taken", "该工商营业执照号已注册"),
}


@router.post("", status_code=201, response_model=RegistrationOut, summary="企业注册",
             responses={409: {"description": "已注册"}, 422: {"description": "填写有误"}})
async def register(body: RegistrationIn, uow: UnitOfWork = Depends(get_uow),
                   settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    errors = check_registration(body)
    if errors:
        raise field_errors(422, errors)
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
            residence=residence_of(enterprise), filler_name=enterprise.filler_name,
            tax_reg_no=enterprise.tax_reg_no, org_code=enterprise.org_code))
        await uow.commit()
    except IntegrityError:
        field = "uscc" if uscc else "business_licence_no"
        code, message = TAKEN[field]
        raise AppError(409, code, message, [FieldError(field=field, code=code, message=message)]) from None
    return RegistrationOut(id=enterprise.id, username=username)


async def _visible_enterprise(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> Enterprise:
    """Own enterprise, or one inside an official's region; anything else looks absent (404)."""
    enterprise = await uow.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise not_found("企业")
    if principal.kind == "enterprise" and principal.enterprise_id != enterprise.id:
        raise not_found("企业")
    if principal.kind == "official" and not covers(principal, enterprise.region_code):
        raise AppError(403, "region.forbidden", "该企业不在您的管辖区域内")
    return enterprise


@router.get("", response_model=Page[EnterpriseProfile], summary="企业列表（主管部门：本辖区）")
async def list_enterprises(q: str | None = Query(None, max_length=100, description="名称或代码"),
                           principal: Principal = Depends(require_kind("official", "admin")),
                           params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    query = select(Enterprise).order_by(Enterprise.created_at.desc())
    if q:
        query = query.where(contains_text(q, Enterprise.name, Enterprise.uscc, Enterprise.business_licence_no))
    if principal.kind == "official" and (codes := codes_within(principal.region_code)) is not None:
        query = query.where(Enterprise.region_code.in_(sorted(codes)))
    items, total = await paginate(uow.session, query, params)
    return Page(items=[enterprise_profile(e) for e in items], total=total, **params.model_dump())


@router.get("/{enterprise_id}", response_model=EnterpriseProfile, summary="企业信息")
async def get_enterprise(enterprise_id: str, principal: Principal = Depends(current_principal),
                         uow: UnitOfWork = Depends(get_uow)):
    return enterprise_profile(await _visible_enterprise(uow, principal, enterprise_id))


@router.patch("/{enterprise_id}", response_model=EnterpriseProfile, summary="修改企业信息（名称、信用代码、类型不可修改）")
async def update_enterprise(enterprise_id: str, body: EnterpriseUpdateIn,
                            principal: Principal = Depends(require_kind("enterprise")),
                            uow: UnitOfWork = Depends(get_uow)):
    enterprise = await _visible_enterprise(uow, principal, enterprise_id)
    await uow.refresh_for_update(enterprise)  # against filing's events deciding a move meanwhile
    if ((body.name is not None and body.name.strip() != enterprise.name)
            or (body.uscc is not None and normalise_uscc(body.uscc) != enterprise.uscc)
            or (body.types is not None and sorted(body.types) != sorted(enterprise.types))):
        raise AppError(409, "enterprise.immutable", "企业名称、统一社会信用代码、企业类型一经注册，不得修改")
    errors: list[FieldError] = []
    if body.residence:
        r = body.residence
        issue = validate_residence(r.province_code, r.city_code, r.district_code)
        if issue:
            errors.append(FieldError(field="residence", code=issue.code, message=issue.message))
    if body.filler_mobile is not None and (issue := validate_mobile(body.filler_mobile.strip())):
        errors.append(FieldError(field="filler_mobile", code=issue.code, message=issue.message))
    if body.org_code and (issue := validate_org_code(normalise_code(body.org_code))):
        errors.append(FieldError(field="org_code", code=issue.code, message=issue.message))
    errors += check_tax_reg_no(body.tax_reg_no)
    if errors:
        raise field_errors(422, errors)
    now = datetime.now(UTC)
    if body.residence:
        residence = {"province_code": body.residence.province_code, "city_code": body.residence.city_code,
                     "district_code": body.residence.district_code, "street": body.residence.street.strip()}
        if enterprise.filed and pending_region(residence) != enterprise.region_code:
            # part of the 备案登记表: a filing change the new region's official confirms; until then it stays
            enterprise.pending_residence = residence
            uow.emit(ResidenceChangeRequested(enterprise_id=enterprise.id, region_code=pending_region(residence),
                                              residence=residence, requested_at=now))
        else:
            enterprise.province_code, enterprise.city_code = residence["province_code"], residence["city_code"]
            enterprise.district_code, enterprise.street = residence["district_code"], residence["street"]
    for field in ("filler_name", "filler_mobile"):
        if (value := getattr(body, field)) is not None:
            setattr(enterprise, field, value.strip())
    for field in ("org_code", "tax_reg_no"):
        if getattr(body, field) is not None:
            setattr(enterprise, field, normalise_code(getattr(body, field)))
    uow.emit(EnterpriseUpdated(enterprise_id=enterprise.id, region_code=enterprise.region_code, updated_at=now,
                               residence=residence_of(enterprise)))
    await uow.commit()
    return enterprise_profile(enterprise)


@router.post("/{enterprise_id}/password-reset", response_model=TemporaryPasswordOut,
             summary="重置企业密码（所辖区域的主管部门）")
async def reset_password(enterprise_id: str, principal: Principal = Depends(require_kind("official")),
                         uow: UnitOfWork = Depends(get_uow), passwords: Passwords = Depends(passwords_of)):
    enterprise = await _visible_enterprise(uow, principal, enterprise_id)
    account = await uow.session.scalar(select(Account).where(Account.enterprise_id == enterprise.id))
    if account is None:
        raise not_found("企业账户")
    temporary = temporary_password()
    await replace_password(uow, account, await passwords.hash(temporary), action="password.reset", actor=principal,
                           temporary=True, subject=f"enterprise:{enterprise.id}",
                           details={"enterprise_name": enterprise.name, "username": account.username})
    await uow.commit()
    return TemporaryPasswordOut(temporary_password=temporary)
