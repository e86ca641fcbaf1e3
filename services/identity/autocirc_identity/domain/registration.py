"""Rules of the registration form (企业注册) beyond field shapes, checked together so the
clerk sees every problem at once, in the form's order."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from autocirc_shared.errors import FieldError
from autocirc_shared.refdata.regions import validate_residence
from autocirc_shared.validation import (
    Issue,
    normalise_uscc,
    validate_mobile,
    validate_org_code,
    validate_password,
    validate_uscc,
)

LICENCE_NO = re.compile(r"^[0-9A-Z]{13,20}$")
TAX_REG_NO = re.compile(r"^[0-9A-Z]{15,20}$")


class ResidenceLike(Protocol):
    province_code: str
    city_code: str
    district_code: str
    street: str


class RegistrationLike(Protocol):
    name: str
    has_uscc: bool
    uscc: str | None
    business_licence_no: str | None
    org_code: str | None
    tax_reg_no: str | None
    password: str
    password_confirm: str
    filler_name: str
    filler_mobile: str

    @property
    def residence(self) -> ResidenceLike: ...

    @property
    def types(self) -> Sequence[str]: ...


def _add(errors: list[FieldError], field: str, issue: Issue | None) -> None:
    if issue is not None:
        errors.append(FieldError(field=field, code=issue.code, message=issue.message))


def normalise_code(value: str | None) -> str | None:
    value = (value or "").strip().upper().replace(" ", "")
    return value or None


def check_password_pair(password: str, confirm: str, field: str = "password") -> list[FieldError]:
    errors: list[FieldError] = []
    _add(errors, field, validate_password(password))
    if password != confirm:
        errors.append(FieldError(field=f"{field}_confirm", code="password.mismatch", message="两次输入的密码不一致"))
    return errors


def check_tax_reg_no(value: str | None) -> list[FieldError]:
    """税务登记证号 is optional; when given, 15 to 20 digits or capitals (registration and profile changes alike)."""
    tax = normalise_code(value)
    if tax and not TAX_REG_NO.match(tax):
        return [FieldError(field="tax_reg_no", code="tax_reg_no.format", message="税务登记证号应为15至20位数字或大写字母")]
    return []


def check_registration(form: RegistrationLike) -> list[FieldError]:
    errors: list[FieldError] = []
    if not form.name.strip():
        errors.append(FieldError(field="name", code="name.required", message="请填写企业名称（与营业执照一致）"))
    r = form.residence
    _add(errors, "residence", validate_residence(r.province_code, r.city_code, r.district_code))
    if not r.street.strip():
        errors.append(FieldError(field="residence.street", code="street.required", message="请填写街道门牌（与营业执照一致）"))
    if form.has_uscc:
        if not form.uscc:
            errors.append(FieldError(field="uscc", code="uscc.format", message="请填写18位统一社会信用代码"))
        else:
            _add(errors, "uscc", validate_uscc(normalise_uscc(form.uscc)))
    elif not form.business_licence_no:
        errors.append(FieldError(field="business_licence_no", code="licence_no.required",
                                 message="没有统一社会信用代码的企业须填写工商营业执照号"))
    licence = normalise_code(form.business_licence_no)
    if licence and not LICENCE_NO.match(licence):
        errors.append(FieldError(field="business_licence_no", code="licence_no.format",
                                 message="工商营业执照号应为13至20位数字或大写字母"))
    org = normalise_code(form.org_code)
    if org:
        _add(errors, "org_code", validate_org_code(org))
    errors += check_tax_reg_no(form.tax_reg_no)
    errors += check_password_pair(form.password, form.password_confirm)
    if not form.types:
        errors.append(FieldError(field="types", code="types.empty", message="请至少选择一种企业类型"))
    if not form.filler_name.strip():
        errors.append(FieldError(field="filler_name", code="filler_name.required", message="请填写填报人"))
    _add(errors, "filler_mobile", validate_mobile(form.filler_mobile.strip()))
    return errors
