"""Events published by services/identity."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from .base import Event


class Residence(BaseModel):
    province_code: str
    city_code: str
    district_code: str
    street: str


class EnterpriseRegistered(Event):
    NAME = "identity.enterprise_registered.v1"

    enterprise_id: str
    name: str = Field(description="企业名称")
    uscc: str | None = Field(None, description="统一社会信用代码")
    business_licence_no: str | None = Field(None, description="工商营业执照号")
    types: list[str] = Field(description="企业类型")
    region_code: str = Field(description="住所所在行政区划代码（GB/T 2260）：区县，无区县的地级市为市级代码，港澳台为省级代码")
    registered_at: datetime
    # Added in round two (older producers leave them out): what filing pre-fills a new filing with. The filler's
    # mobile stays in identity (no raw mobiles in events, RELIABILITY.md); the web client adds it from /me.
    residence: Residence | None = Field(None, description="住所")
    filler_name: str | None = Field(None, description="填报人")
    # Added in round three (older producers leave them out): the 备案登记表's export and print show them.
    tax_reg_no: str | None = Field(None, description="税务登记证号")
    org_code: str | None = Field(None, description="组织机构代码")


class ResidenceChangeRequested(Event):
    """A filed enterprise asked to move: its residence is part of the 备案登记表, so filing makes it a change
    the new region's official confirms; until then the enterprise stays where it was."""

    NAME = "identity.residence_change_requested.v1"

    enterprise_id: str
    region_code: str = Field(description="新住所所在行政区划代码（同 region_code 的规则）")
    residence: dict[str, str] = Field(description="新住所：province_code/city_code/district_code/street")
    requested_at: datetime


class OfficialChanged(Event):
    """An official was created or its review right changed (filing keeps who may review)."""

    NAME = "identity.official_changed.v1"

    official_id: str
    username: str
    level: str
    region_code: str
    can_review: bool
    changed_at: datetime


class EnterpriseUpdated(Event):
    """The mutable profile changed; ``region_code`` matters to every region-scoped view."""

    NAME = "identity.enterprise_updated.v1"

    enterprise_id: str
    region_code: str
    updated_at: datetime
    residence: Residence | None = Field(None, description="住所（第二轮起携带）")


class CredentialsChanged(Event):
    """An account's password was reset or changed: every token issued before ``valid_after`` is stale.
    Every service keeps the newest ``valid_after`` per account (``autocirc_shared.auth.freshness``)."""

    NAME = "identity.credentials_changed.v1"

    account_id: str
    reason: str = Field(description="reset（主管部门重置）或 change（本人修改）")
    valid_after: datetime = Field(description="此时刻之前签发的令牌一律失效")


class ContactChanged(Event):
    """An account's reserved e-mail changed (PATCH /me): portal e-mails its notifications there.
    Mobiles never travel in events (RELIABILITY.md)."""

    NAME = "identity.contact_changed.v1"

    account_id: str
    kind: str
    enterprise_id: str | None = None
    email: str | None = Field(None, description="预留邮箱（空为已清除）")
    changed_at: datetime
