"""Enterprise registration (企业注册), profile, and officials' view and password reset."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import current_principal, require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import validate_residence
from autocirc_shared.validation import normalise_uscc, validate_mobile, validate_org_code
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Query

from ..domain.passwords import Passwords
from ..domain.registration import check_registration, check_tax_reg_no, normalise_code
from ..settings import IdentitySettings
from ..usecases import enterprises
from ..usecases.accounts import enterprise_profile
from ..usecases.captcha import check_captcha
from .deps import passwords_of, settings_of
from .schemas import EnterpriseProfile, EnterpriseUpdateIn, RegistrationIn, RegistrationOut, TemporaryPasswordOut

router = APIRouter(prefix="/api/v1/enterprises", tags=["identity"])


@router.post("", status_code=201, response_model=RegistrationOut, summary="企业注册",
             responses={409: {"description": "已注册"}, 422: {"description": "填写有误"}})
async def register(body: RegistrationIn, uow: UnitOfWork = Depends(get_uow),
                   settings: IdentitySettings = Depends(settings_of), passwords: Passwords = Depends(passwords_of)):
    await check_captcha(uow, settings, body.captcha_id, body.captcha_answer)
    errors = check_registration(body)
    if errors:
        raise field_errors(422, errors)
    enterprise, username = await enterprises.register_enterprise(uow, passwords, body)
    return RegistrationOut(id=enterprise.id, username=username)


@router.get("", response_model=Page[EnterpriseProfile], summary="企业列表（主管部门：本辖区）")
async def list_enterprises(q: str | None = Query(None, max_length=100, description="名称或代码"),
                           principal: Principal = Depends(require_kind("official", "admin")),
                           params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    items, total = await enterprises.enterprise_page(uow, principal, q, params)
    return Page(items=[enterprise_profile(e) for e in items], total=total, **params.model_dump())


@router.get("/{enterprise_id}", response_model=EnterpriseProfile, summary="企业信息")
async def get_enterprise(enterprise_id: str, principal: Principal = Depends(current_principal),
                         uow: UnitOfWork = Depends(get_uow)):
    return enterprise_profile(await enterprises.visible_enterprise(uow, principal, enterprise_id))


@router.patch("/{enterprise_id}", response_model=EnterpriseProfile, summary="修改企业信息（名称、信用代码、类型不可修改）")
async def update_enterprise(enterprise_id: str, body: EnterpriseUpdateIn,
                            principal: Principal = Depends(require_kind("enterprise")),
                            uow: UnitOfWork = Depends(get_uow)):
    enterprise = await enterprises.enterprise_for_update(uow, principal, enterprise_id)
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
    residence = None
    if body.residence:
        residence = {"province_code": body.residence.province_code, "city_code": body.residence.city_code,
                     "district_code": body.residence.district_code, "street": body.residence.street.strip()}
    enterprises.change_profile(uow, enterprise, residence=residence, filler_name=body.filler_name,
                               filler_mobile=body.filler_mobile, org_code=body.org_code, tax_reg_no=body.tax_reg_no)
    await uow.commit()
    return enterprise_profile(enterprise)


@router.post("/{enterprise_id}/password-reset", response_model=TemporaryPasswordOut,
             summary="重置企业密码（所辖区域的主管部门）")
async def reset_password(enterprise_id: str, principal: Principal = Depends(require_kind("official")),
                         uow: UnitOfWork = Depends(get_uow), passwords: Passwords = Depends(passwords_of)):
    enterprise = await enterprises.visible_enterprise(uow, principal, enterprise_id)
    temporary = await enterprises.reset_enterprise_password(uow, passwords, principal, enterprise)
    await uow.commit()
    return TemporaryPasswordOut(temporary_password=temporary)
