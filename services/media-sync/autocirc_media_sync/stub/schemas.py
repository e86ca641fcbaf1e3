from __future__ import annotations

from datetime import datetime

from autocirc_shared.events.filing import MediaKind
from pydantic import BaseModel, Field


class PoliceDocumentIn(BaseModel):
    uscc: str | None = Field(None, max_length=30, description="统一社会信用代码（无则为工商营业执照号）")
    name: str = Field(max_length=200, description="企业名称")
    kind: MediaKind = Field(description="影像类型")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="影像 SHA-256 校验值（小写十六进制）")
    content_type: str = Field(max_length=100, description="影像格式")
    image_base64: str = Field(description="影像内容（Base64）")


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
    documents: int = Field(description="保存的文档数（0 或 1）")


class PoliceStubStats(BaseModel):
    total_requests: int = Field(description="请求总数")
    total_faults: int = Field(description="故障开关造成的失败总数")
    total_replays: int = Field(description="重复提交总数")
    total_documents: int = Field(description="保存的文档总数")
    keys: list[PoliceStubKeyStats] = Field(description="按幂等键统计")
