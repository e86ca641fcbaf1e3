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
