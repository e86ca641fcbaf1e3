"""The filing form (企业信息备案登记表): every field of the seed forms, all optional in a draft.

Field shapes are checked on every save; which fields are *required* depends on the
enterprise's types and is checked on submit (see ``rules.py``).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from pydantic import BaseModel, ConfigDict, Field


class _MoneyBounds(TypedDict):
    ge: int
    le: Decimal
    decimal_places: int


class _CountBounds(TypedDict):
    ge: int
    le: int


MONEY: _MoneyBounds = {"ge": 0, "le": Decimal("100000000"), "decimal_places": 4}
COUNT: _CountBounds = {"ge": 0, "le": 10_000_000}


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")
    province_code: str | None = Field(None, max_length=6, description="省/自治区/直辖市")
    city_code: str | None = Field(None, max_length=6, description="市/区(州)")
    district_code: str | None = Field(None, max_length=6, description="区/县/市属")
    street: str | None = Field(None, max_length=200, description="街道门牌")


class Filler(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=50, description="填报人")
    mobile: str | None = Field(None, max_length=20, description="填报人手机")
    email: str | None = Field(None, max_length=100, description="填报人邮箱")


class Branch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, description="分支机构名称")
    licence_no: str | None = Field(None, max_length=30, description="营业执照号")
    address: str | None = Field(None, max_length=200, description="经营地址")
    business_scope: str | None = Field(None, max_length=500, description="业务范围")


# A branch row's fields besides its name, with their labels (the seed's 营业执照号、经营地址、业务范围).
BRANCH_DETAILS = {name: field.description for name, field in Branch.model_fields.items() if name != "name"}


class BrandChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    brand_id: str = Field(max_length=36, description="品牌（须为已审核通过的品牌）")
    manufacturer_id: str = Field(max_length=36, description="生产商（须为该品牌已审核通过的生产商）")
    authorised: bool = Field(description="授权品牌（是）/ 非授权品牌（否）")


class FilingData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    foreign_trade_code: str | None = Field(None, max_length=30, description="外商投资企业进出口企业代码")
    share_chinese_pct: Decimal | None = Field(None, ge=0, le=100, decimal_places=2, description="外商投资企业股份构成：中方（%）")
    share_foreign_pct: Decimal | None = Field(None, ge=0, le=100, decimal_places=2, description="外商投资企业股份构成：外方（%）")
    legal_representative: str | None = Field(None, max_length=50, description="法定代表人")
    registered_capital_wan: Decimal | None = Field(None, description="注册资本（万元）", **MONEY)
    business_area_m2: Decimal | None = Field(None, ge=0, le=100_000_000, decimal_places=2, description="营业面积（平方米）")
    founded_on: date | None = Field(None, description="成立日期")
    term_from: date | None = Field(None, description="营业期限自")
    term_to: date | None = Field(None, description="营业期限至（不填为长期）")
    branch_count: int | None = Field(None, description="分支机构数量", **COUNT)
    resident_merchant_count: int | None = Field(None, description="驻场商户数量（二手车交易市场）", **COUNT)
    market_staff_count: int | None = Field(None, description="市场管理及服务人员数（二手车交易市场）", **COUNT)
    professional_staff_count: int | None = Field(None, description="专业人员人数", **COUNT)
    business_scope: str | None = Field(None, max_length=2000, description="企业经营范围")
    residence: Address | None = Field(None, description="住所")
    business_address: Address | None = Field(None, description="经营地址（实际经营场所）")
    filler: Filler | None = Field(None, description="填报人信息")
    branches: list[Branch] = Field(default_factory=list, max_length=500, description="分支机构")
    authorisation: str | None = Field(None, max_length=2000,
                                      description="授权情况（仅国内主机厂及其总经销商、进口总经销商填写）")
    brands: list[BrandChoice] = Field(default_factory=list, max_length=500, description="授权品牌 / 非授权品牌")


LABELS: dict[str, str] = {
    "foreign_trade_code": "外商投资企业进出口企业代码",
    "share_chinese_pct": "中方股份（%）",
    "share_foreign_pct": "外方股份（%）",
    "legal_representative": "法定代表人",
    "registered_capital_wan": "注册资本（万元）",
    "business_area_m2": "营业面积（平方米）",
    "founded_on": "成立日期",
    "term_from": "营业期限自",
    "term_to": "营业期限至",
    "branch_count": "分支机构数量",
    "resident_merchant_count": "驻场商户数量",
    "market_staff_count": "市场管理及服务人员数",
    "professional_staff_count": "专业人员人数",
    "business_scope": "企业经营范围",
    "residence": "住所",
    "business_address": "经营地址",
    "filler": "填报人信息",
    "filler.name": "填报人",
    "filler.mobile": "填报人手机",
    "filler.email": "填报人邮箱",
    "branches": "分支机构",
    "authorisation": "授权情况",
    "brands": "授权/非授权品牌",
}
