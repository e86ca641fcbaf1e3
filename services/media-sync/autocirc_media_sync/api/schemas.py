"""Request and response bodies of media-sync's admin API (field labels in Chinese)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DeliveryStatus = Literal["pending", "delivered", "failed"]


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="投递记录标识")
    enterprise_id: str = Field(description="企业标识")
    uscc: str | None = Field(description="统一社会信用代码（无则为工商营业执照号）")
    enterprise_name: str = Field(description="企业名称")
    kind: str = Field(description="影像类型：营业执照正本/副本、公章")
    sha256: str = Field(description="影像 SHA-256 校验值")
    content_type: str = Field(description="影像格式")
    filing_version: int = Field(description="备案版本")
    idempotency_key: str = Field(description="幂等键（同一企业、类型、影像恒定；被撤换后又重新启用的影像另加备案版本）")
    status: DeliveryStatus = Field(description="投递状态：待投递/已投递/投递失败")
    attempts: int = Field(description="已尝试次数")
    next_attempt_at: datetime | None = Field(description="下次尝试时间（待投递时）")
    receipt_id: str | None = Field(description="公安接收回执编号")
    last_error: str | None = Field(description="最近一次失败原因")
    created_at: datetime = Field(description="创建时间")
    updated_at: datetime = Field(description="更新时间")
    delivered_at: datetime | None = Field(description="投递成功时间")


class RedriveOut(BaseModel):
    count: int = Field(description="重新排队的投递记录数")


class AgencyKeyIn(BaseModel):
    agency: str = Field(min_length=1, max_length=100, description="使用单位（如：某市公安局交通警察支队车辆管理所）")
    name: str = Field(min_length=1, max_length=100, description="密钥名称（如：业务窗口 1）")


class AgencyKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="密钥标识")
    agency: str = Field(description="使用单位")
    name: str = Field(description="密钥名称")
    prefix: str = Field(description="密钥开头几位（便于辨认）")
    created_at: datetime = Field(description="签发时间")
    revoked_at: datetime | None = Field(None, description="停用时间")
    last_used_at: datetime | None = Field(None, description="最近使用时间")


class AgencyKeyIssued(AgencyKeyOut):
    key: str = Field(description="密钥（只显示这一次，请妥善交给使用单位）")


class AgencyKeysOut(BaseModel):
    items: list[AgencyKeyOut]


class AccessOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime = Field(description="查询时间")
    agency: str = Field(description="查询单位")
    key_id: str = Field(description="所用密钥标识")
    uscc: str = Field(description="查询的统一社会信用代码")
    what: str = Field(description="查询内容：enterprise（备案记录）或 image:<影像类型>")
    status: int = Field(description="应答状态码（200 查到，404 未备案）")


class PoliceImageOut(BaseModel):
    kind: str = Field(description="影像类型")
    sha256: str = Field(description="影像 SHA-256 校验值")
    url: str = Field(description="影像地址（同一密钥可取）")


class PoliceEnterpriseOut(BaseModel):
    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    status: str = Field(description="备案状态：confirmed 已备案 / changed 已变更备案 / revoked 已注销")
    filing_version: int = Field(description="备案版本")
    types: list[str] = Field(description="企业类型")
    confirmed_at: datetime | None = Field(description="确认时间")
    images: list[PoliceImageOut] = Field(description="营业执照及公章影像")
