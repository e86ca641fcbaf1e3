"""Request and response bodies of identity's public API (field labels in Chinese)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..domain.enterprise_types import EnterpriseType


class RegionOut(BaseModel):
    code: str = Field(description="行政区划代码（GB/T 2260）")
    name: str = Field(description="名称")
    level: Literal["province", "city", "district"] = Field(description="级别")


class CaptchaOut(BaseModel):
    captcha_id: str = Field(description="验证码标识")
    image: str = Field(description="验证码图片（data:image/png;base64 URL）")


class Residence(BaseModel):
    province_code: str = Field(description="住所：省/自治区/直辖市", max_length=6)
    city_code: str = Field(description="住所：市/区(州)", max_length=6)
    district_code: str = Field(description="住所：区/县/市属", max_length=6)
    street: str = Field(description="街道门牌（与营业执照一致）", max_length=200)


class RegistrationIn(BaseModel):
    name: str = Field(description="企业名称（按营业执照名称填写）", max_length=200)
    residence: Residence = Field(description="住所")
    has_uscc: bool = Field(True, description="是否有统一社会信用代码")
    uscc: str | None = Field(None, description="统一社会信用代码（18位，注册后不可修改）", max_length=30)
    business_licence_no: str | None = Field(None, description="工商营业执照号", max_length=30)
    org_code: str | None = Field(None, description="组织机构代码证", max_length=12)
    tax_reg_no: str | None = Field(None, description="税务登记证", max_length=30)
    password: str = Field(description="密码（不少于8位，须含大、小写字母和数字）", max_length=128)
    password_confirm: str = Field(description="确认密码", max_length=128)
    types: list[EnterpriseType] = Field(description="企业类型（汽车销售企业类型 / 二手车经营主体类型），注册后不可修改")
    filler_name: str = Field(description="填报人", max_length=50)
    filler_mobile: str = Field(description="填报人手机", max_length=20)
    captcha_id: str | None = Field(None, description="验证码标识", max_length=64)
    captcha_answer: str | None = Field(None, description="验证码", max_length=16)


class RegistrationOut(BaseModel):
    id: str = Field(description="企业标识")
    username: str = Field(description="登录用户名（统一社会信用代码或工商营业执照号）")


class LoginIn(BaseModel):
    username: str = Field(description="用户名（统一社会信用代码/工商营业执照号，或主管部门账号）", max_length=64)
    password: str = Field(description="密码", max_length=128)
    captcha_id: str | None = Field(None, description="验证码标识", max_length=64)
    captcha_answer: str | None = Field(None, description="验证码", max_length=16)


class AccountOut(BaseModel):
    id: str = Field(description="账户标识")
    kind: Literal["enterprise", "official", "admin"] = Field(description="账户类型：企业/主管部门/管理员")
    enterprise_id: str | None = Field(None, description="企业标识")
    types: list[str] = Field(default_factory=list, description="企业类型")
    region_code: str | None = Field(None, description="行政区划代码")
    level: str | None = Field(None, description="主管部门级别")
    can_review: bool = Field(False, description="审核权限")


class RefreshOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="有效期（秒）")


class LoginOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="有效期（秒）")
    account: AccountOut


class EnterpriseProfile(BaseModel):
    id: str
    name: str = Field(description="企业名称")
    has_uscc: bool = Field(description="是否有统一社会信用代码")
    uscc: str | None = Field(None, description="统一社会信用代码")
    business_licence_no: str | None = Field(None, description="工商营业执照号")
    org_code: str | None = Field(None, description="组织机构代码证")
    tax_reg_no: str | None = Field(None, description="税务登记证")
    residence: Residence = Field(description="住所")
    residence_name: str = Field(description="住所（全称）")
    types: list[str] = Field(description="企业类型")
    filler_name: str = Field(description="填报人")
    filler_mobile: str = Field(description="填报人手机")
    pending_residence: Residence | None = Field(
        None, description="已申请变更、待新住所所在地主管部门确认的住所（确认前企业仍属原住所地）")


class MeOut(AccountOut):
    username: str = Field(description="用户名")
    name: str = Field(description="名称")
    must_change_password: bool = Field(False, description="须修改临时密码")
    enterprise: EnterpriseProfile | None = None
    region_name: str | None = Field(None, description="所在/所辖行政区划名称")
    email: str | None = Field(None, description="预留邮箱（找回密码）")
    mobile: str | None = Field(None, description="预留手机号（找回密码；企业为填报人手机）")


class MeUpdateIn(BaseModel):
    email: str | None = Field(None, max_length=100, description="预留邮箱（空字符串为清除）")
    mobile: str | None = Field(None, max_length=11, description="预留手机号（企业即填报人手机）")


class PasswordResetIn(BaseModel):
    username: str = Field(max_length=64, description="用户名（统一社会信用代码/工商营业执照号，或主管部门账号）")
    channel: Literal["sms", "email"] = Field(description="接收验证码的方式：sms 预留手机 / email 预留邮箱")
    captcha_id: str | None = Field(None, max_length=64, description="验证码标识")
    captcha_answer: str | None = Field(None, max_length=16, description="图形验证码")


class PasswordResetConfirmIn(BaseModel):
    username: str = Field(max_length=64, description="用户名")
    code: str = Field(max_length=16, description="收到的6位验证码")
    new_password: str = Field(max_length=128, description="新密码（不少于8位，须含大、小写字母和数字）")


class PasswordChangeIn(BaseModel):
    old_password: str = Field(description="原密码", max_length=128)
    new_password: str = Field(description="新密码（不少于8位，须含大、小写字母和数字）", max_length=128)


class EnterpriseUpdateIn(BaseModel):
    """Only the mutable parts; name, USCC and types may never change (409 ``enterprise.immutable``)."""

    name: str | None = Field(None, description="企业名称（不可修改）", max_length=200)
    uscc: str | None = Field(None, description="统一社会信用代码（不可修改）", max_length=30)
    types: list[str] | None = Field(None, description="企业类型（不可修改）")
    residence: Residence | None = Field(None, description="住所")
    org_code: str | None = Field(None, description="组织机构代码证", max_length=12)
    tax_reg_no: str | None = Field(None, description="税务登记证", max_length=30)
    filler_name: str | None = Field(None, description="填报人", max_length=50)
    filler_mobile: str | None = Field(None, description="填报人手机", max_length=20)


class OfficialIn(BaseModel):
    username: str = Field(description="用户名", min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(description="初始密码", max_length=128)
    name: str = Field(description="部门或姓名", min_length=1, max_length=100)
    level: Literal["national", "province", "city", "district"] = Field(description="级别：国家/省/市/区县")
    region_code: str = Field(description="所辖行政区划代码（国家级为000000）", max_length=6)
    can_review: bool = Field(False, description="审核权限")


class OfficialOut(BaseModel):
    id: str
    username: str = Field(description="用户名")
    name: str = Field(description="部门或姓名")
    level: str = Field(description="级别")
    region_code: str = Field(description="所辖行政区划代码")
    region_name: str = Field(description="所辖行政区划")
    can_review: bool = Field(description="审核权限")
    in_force: bool = Field(True, description="审核权限的最近一次变更已在备案审核中生效（否则仍在同步）")


class OfficialPatch(BaseModel):
    can_review: bool = Field(description="审核权限")


class TemporaryPasswordOut(BaseModel):
    temporary_password: str = Field(description="临时密码（登录后请立即修改）")
