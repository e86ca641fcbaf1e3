"""Events published by services/filing. Transactions and reports gate on FilingConfirmed (and stop at
FilingRevoked); media-sync sends the police the filing record each of them carries, then the images."""
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


class PoliceRecord(BaseModel):
    """What the traffic police are told of a filing besides name, USCC and types (API.md "Police data feed")."""

    residence: str | None = Field(None, description="住所（地区全称加街道门牌）")
    business_address: str | None = Field(None, description="经营地址")
    legal_representative: str | None = Field(None, description="法定代表人")
    authority_region: str | None = Field(None, description="作出决定的商务主管部门所在地区代码")


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
    is_change: bool = Field(False, description="变更确认（此前已有确认版本且未注销）")
    record: PoliceRecord = Field(default_factory=PoliceRecord, description="推送公安的备案记录其余内容")


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


class ReviewRightApplied(Event):
    """filing now holds the review right identity announced at ``changed_at`` (identity's PATCH waits for this)."""

    NAME = "filing.review_right_applied.v1"

    official_id: str
    changed_at: datetime


class FilingRevoked(Event):
    """A confirmed filing was revoked (注销): entry and reporting stop until a new filing is confirmed.
    ``version`` is newer than every confirmation before it, so consumers order the two by it."""

    NAME = "filing.revoked.v1"

    enterprise_id: str
    version: int
    revoked_version: int = Field(description="被注销的确认版本")
    enterprise_name: str
    uscc: str | None
    business_licence_no: str | None
    types: list[str]
    region_code: str
    media: list[MediaRef] = Field(description="被注销的确认版本的影像")
    reason: str
    revoked_at: datetime
    revoked_by: str
    confirmed_at: datetime | None = Field(None, description="被注销版本的确认时间")
    record: PoliceRecord = Field(default_factory=PoliceRecord)
