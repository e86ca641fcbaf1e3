"""Response bodies of filing's API."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..domain.form import FilingData

Status = Literal["draft", "submitted", "confirmed", "rejected", "changed", "revoked"]


class FilingIn(BaseModel):
    data: FilingData = Field(description="备案登记表内容（草稿可部分填写）")


class PoliceSync(BaseModel):
    status: Literal["pending", "delivered", "failed"] = Field(description="同步公安交管部门状态")
    receipt_id: str | None = Field(None, description="回执编号")
    attempts: int = Field(0, description="投递次数")
    last_error: str | None = Field(None, description="最近一次错误")


class MediaOut(BaseModel):
    kind: Literal["licence_original", "licence_copy", "seal"] = Field(description="营业执照正本/副本、公章")
    sha256: str
    size: int = Field(description="字节数")
    width: int
    height: int
    content_type: str
    uploaded_at: datetime = Field(description="上传时间")
    police_sync: PoliceSync
    url: str | None = Field(None, description="查看图片（仅本企业及辖区主管部门）")
    under_change: bool = Field(False, description="确认通过后更换、尚未确认的影像（最近确认的影像仍然有效）")


class MediaLink(BaseModel):
    kind: str = Field(description="营业执照正本/副本、公章")
    sha256: str
    url: str = Field(description="查看图片（仅本企业及辖区主管部门）")
    content_type: str
    size: int = Field(description="字节数")


class BrandChoice(BaseModel):
    brand_id: str
    brand_name: str = Field(description="品牌名称")
    manufacturer_id: str
    manufacturer_name: str = Field(description="生产商名称")
    authorised: bool = Field(description="授权品牌（否则非授权品牌）")


class UploadOut(BaseModel):
    kind: str
    sha256: str
    size: int
    width: int
    height: int
    content_type: str


class Review(BaseModel):
    reason: str | None = Field(None, description="退回或注销原因")


class Registered(BaseModel):
    """What registration fixed (never changed in a filing): shown beside the form."""
    name: str = Field(description="企业名称")
    uscc: str | None = Field(None, description="统一社会信用代码")
    business_licence_no: str | None = Field(None, description="工商营业执照号")
    types: list[str] = Field(description="企业类型")


class FilingOut(BaseModel):
    enterprise_id: str
    status: Status = Field(description="状态：草稿/已提交/确认通过/退回/已变更/已注销")
    version: int = Field(description="版本号（每次提交加一）")
    data: dict[str, Any] = Field(description="当前填写内容")
    confirmed: dict[str, Any] | None = Field(description="最近一次确认通过的内容（变更审核期间仍然有效）")
    confirmed_version: int | None = None
    review: Review | None = None
    media: list[MediaOut]
    registered: Registered | None = Field(None, description="注册信息（企业名称、统一社会信用代码、企业类型）")


class FilingSummary(BaseModel):
    enterprise_id: str
    enterprise_name: str = Field(description="企业名称")
    uscc: str | None = None
    types: list[str]
    region_code: str
    region_name: str = Field(description="所在地区")
    status: Status
    version: int
    submitted_at: datetime | None = None


class Change(BaseModel):
    field: str
    label: str = Field(description="字段名称")
    before: Any = Field(description="变更前")
    after: Any = Field(description="变更后")


class HistoryEntry(BaseModel):
    version: int
    action: str = Field(description="操作：save/submit/confirm/reject/revoke")
    actor: str
    reason: str | None = None
    at: datetime


class FilingDetail(FilingOut):
    enterprise: FilingSummary
    brands: list[BrandChoice] = Field(default_factory=list, description="授权/非授权品牌（名称取自品牌目录）")
    confirmed_media: list[MediaLink] = Field(default_factory=list, description="最近确认通过的影像（变更时对照）")
    diff: list[Change] = Field(description="与最近确认版本的逐项差异（已变更时）")
    history: list[HistoryEntry]


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000, description="退回原因（企业可见）")


class RevokeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000, description="注销原因（企业可见）")
