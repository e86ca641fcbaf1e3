"""Events published by services/filing. Transactions and reports gate on FilingConfirmed;
media-sync delivers the images it names."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from .base import Event

MediaKind = Literal["licence_original", "licence_copy", "seal"]


class MediaRef(BaseModel):
    kind: MediaKind = Field(description="影像类型：营业执照正本/副本、公章")
    sha256: str
    key: str = Field(description="对象存储中的键（按内容寻址）")
    content_type: str
    size: int


class BrandChoice(BaseModel):
    brand_id: str
    manufacturer_id: str
    authorised: bool


class FilingSubmitted(Event):
    NAME = "filing.submitted.v1"

    enterprise_id: str
    version: int
    status: Literal["submitted", "changed"]
    region_code: str
    submitted_at: datetime


class FilingConfirmed(Event):
    NAME = "filing.confirmed.v1"

    enterprise_id: str
    version: int
    enterprise_name: str
    uscc: str | None
    business_licence_no: str | None
    types: list[str]
    region_code: str = Field(description="住所所在区县代码")
    media: list[MediaRef]
    brands: list[BrandChoice] = Field(default_factory=list, description="授权/非授权品牌（新车月报的品牌来源）")
    business_area_m2: float | None = Field(None, description="营业面积（平方米；交易市场年报的预填来源）")
    resident_merchant_count: int | None = Field(None, description="驻场商户数量（交易市场年报的预填来源）")
    changed_media: list[MediaKind] = Field(
        description="影像中与上一确认版本不同的类型（首次确认时为全部）；media-sync 以其所知的最新确认版本为准判断需投递的影像")
    confirmed_at: datetime
    confirmed_by: str


class FilingRejected(Event):
    NAME = "filing.rejected.v1"

    enterprise_id: str
    version: int
    reason: str
    rejected_at: datetime


class FilingChanged(Event):
    """A confirmed filing was edited and resubmitted (已变更): awaiting re-confirmation."""

    NAME = "filing.changed.v1"

    enterprise_id: str
    version: int
    changed_fields: list[str]
    changed_at: datetime
