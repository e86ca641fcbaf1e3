from __future__ import annotations

from datetime import datetime
from typing import Literal

from autocirc_shared.events.filing import MediaKind
from pydantic import BaseModel, Field


class PoliceDocumentIn(BaseModel):
    uscc: str | None = Field(None, max_length=30, description="统一社会信用代码（无则为工商营业执照号）")
    name: str = Field(max_length=200, description="企业名称")
    kind: MediaKind = Field(description="影像类型")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="影像 SHA-256 校验值（小写十六进制）")
    content_type: str = Field(max_length=100, description="影像格式")
    filing_version: int | None = Field(None, description="影像所属备案版本")
    image_base64: str = Field(description="影像内容（Base64）")


class PoliceImageRef(BaseModel):
    kind: MediaKind = Field(description="影像类型")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="影像 SHA-256 校验值")


class PoliceFilingIn(BaseModel):
    """A filing record as the police receive it (API.md "Police data feed")."""

    uscc: str | None = Field(None, max_length=30, description="统一社会信用代码（无则为工商营业执照号）")
    name: str = Field(max_length=200, description="企业名称")
    types: list[str] = Field(max_length=20, description="企业类型")
    residence: str | None = Field(None, max_length=500, description="住所")
    business_address: str | None = Field(None, max_length=500, description="经营地址")
    legal_representative: str | None = Field(None, max_length=50, description="法定代表人")
    status: Literal["confirmed", "changed", "revoked"] = Field(description="备案状态：确认/变更确认/注销")
    filing_version: int = Field(ge=1, description="备案版本")
    confirmed_at: datetime | None = Field(None, description="确认时间")
    authority_region: str | None = Field(None, max_length=6, description="作出决定的商务主管部门地区代码")
    images: list[PoliceImageRef] = Field(max_length=10, description="该版本的影像")
    revoked_at: datetime | None = Field(None, description="注销时间")
    reason: str | None = Field(None, max_length=1000, description="注销原因")


class PoliceStubFiling(BaseModel):
    uscc: str | None = Field(description="统一社会信用代码")
    status: str = Field(description="备案状态")
    filing_version: int = Field(description="备案版本")
    received_at: datetime = Field(description="接收时间")
    receipt_id: str = Field(description="接收回执编号")
    record: dict = Field(description="接收的备案记录全文")


class PoliceStubReceipt(BaseModel):
    receipt_id: str = Field(description="接收回执编号（同一幂等键恒定）")


class PoliceStubDocument(BaseModel):
    uscc: str | None = Field(description="统一社会信用代码")
    kind: str = Field(description="影像类型")
    sha256: str = Field(description="影像 SHA-256 校验值")
    receipt_id: str = Field(description="接收回执编号")
    received_at: datetime = Field(description="接收时间")
    current: bool = Field(description="是否为该企业该类型当前有效的影像（最近接收的一份）")


class PoliceStubKeyStats(BaseModel):
    idempotency_key: str = Field(description="幂等键")
    uscc: str | None = Field(description="统一社会信用代码")
    requests: int = Field(description="收到的请求数")
    faults: int = Field(description="因故障开关返回 503 的请求数")
    replays: int = Field(description="重复提交（返回原回执）的请求数")
    documents: int = Field(description="保存的文档数（影像或备案记录；0 或 1）")


class PoliceStubStats(BaseModel):
    total_requests: int = Field(description="请求总数")
    total_faults: int = Field(description="故障开关造成的失败总数")
    total_replays: int = Field(description="重复提交总数")
    total_documents: int = Field(description="保存的影像总数")
    total_filings: int = Field(0, description="保存的备案记录总数")
    keys: list[PoliceStubKeyStats] = Field(description="按幂等键统计")
