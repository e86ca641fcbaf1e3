"""filing's own tables: the filing (working data + last confirmed version), its images,
its history, and projections of enterprises and officials learned from identity events."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, Integer, String, Text, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from . import FilingBase


def utcnow() -> datetime:
    return datetime.now(UTC)


class EnterpriseView(FilingBase):
    """Projection of identity.enterprise_registered/updated: who the enterprise is."""

    __tablename__ = "enterprises"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)  # the public filing check looks it up
    business_licence_no: Mapped[str | None] = mapped_column(String(30))
    tax_reg_no: Mapped[str | None] = mapped_column(String(20))  # 税务登记证 / 组织机构代码证 (the 备案登记表's rows)
    org_code: Mapped[str | None] = mapped_column(String(10))
    types: Mapped[list[str]] = mapped_column(JSON)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    # what a new filing is pre-filled with (absent from events of older producers)
    residence: Mapped[dict | None] = mapped_column(JSON)
    filler_name: Mapped[str | None] = mapped_column(String(50))
    # a requested move (identity.residence_change_requested): the new region's official reviews it; until
    # confirmed the enterprise stays in region_code
    pending_region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    pending_street: Mapped[str | None] = mapped_column(String(200))

    @property
    def review_region(self) -> str:
        """Whose official decides the filing under review: the new region's while a move waits."""
        return self.pending_region_code or self.region_code


class OfficialView(FilingBase):
    """Projection of identity.official_changed: a revoked review right takes effect at once,
    whatever an older token says, and a token issued after the last change heard of wins."""

    __tablename__ = "officials"

    official_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    can_review: Mapped[bool] = mapped_column(Boolean)
    # Unix seconds of the change this row reflects; comparable with a token's iat (same issuer clock).
    changed_at: Mapped[float | None] = mapped_column(Float)


class Filing(FilingBase):
    __tablename__ = "filings"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    confirmed_data: Mapped[dict | None] = mapped_column(JSON)
    confirmed_version: Mapped[int | None] = mapped_column(Integer)
    confirmed_media: Mapped[list | None] = mapped_column(JSON)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @hybrid_property
    def ever_submitted(self) -> bool:
        """What officials may see: a draft never submitted is the enterprise's own work in progress."""
        return self.submitted_at is not None or self.status != "draft"

    @ever_submitted.inplace.expression
    @classmethod
    def _ever_submitted_expression(cls):
        return or_(cls.submitted_at.is_not(None), cls.status != "draft")


class FilingMedia(FilingBase):
    """The current image of each kind, and how its delivery to the police went."""

    __tablename__ = "filing_media"

    enterprise_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    police_status: Mapped[str | None] = mapped_column(String(16))
    police_receipt_id: Mapped[str | None] = mapped_column(String(100))
    police_attempts: Mapped[int] = mapped_column(Integer, default=0)
    police_last_error: Mapped[str | None] = mapped_column(Text)
    police_sha256: Mapped[str | None] = mapped_column(String(64))
    police_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FilingEvent(FilingBase):
    """Audit trail: every save, submit, confirm and reject, with who and the snapshot."""

    __tablename__ = "filing_history"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
