from __future__ import annotations

import uuid
from datetime import UTC, datetime

from autocirc_shared.audit import audit_table
from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, func, literal_column
from sqlalchemy import false as sa_false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class IdentityBase(DeclarativeBase):
    pass


class Enterprise(IdentityBase):
    __tablename__ = "enterprises"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200))
    has_uscc: Mapped[bool] = mapped_column(Boolean)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    business_licence_no: Mapped[str | None] = mapped_column(String(30), unique=True)
    org_code: Mapped[str | None] = mapped_column(String(10))
    tax_reg_no: Mapped[str | None] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(6))
    city_code: Mapped[str] = mapped_column(String(6))
    district_code: Mapped[str] = mapped_column(String(6), index=True)
    street: Mapped[str] = mapped_column(String(200))
    types: Mapped[list[str]] = mapped_column(JSON)
    filler_name: Mapped[str] = mapped_column(String(50))
    filler_mobile: Mapped[str] = mapped_column(String(11))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # learnt from filing.submitted: from then on a residence change waits for the new region's confirmation
    filed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    pending_residence: Mapped[dict | None] = mapped_column(JSON)

    @hybrid_property
    def region_code(self) -> str:
        """The enterprise's region: the most specific non-empty residence code. The district, else the city
        (东莞, 中山, 儋州, 嘉峪关 have no districts), else the province (台湾, 香港, 澳门 have no cities). Officials'
        scopes, tokens and events all use this, never ``district_code`` alone."""
        return self.district_code or self.city_code or self.province_code

    @region_code.inplace.expression
    @classmethod
    def _region_code_expression(cls):
        empty = literal_column("''")  # inlined, not bound, so PostgreSQL matches ix_enterprises_region_code
        return func.coalesce(func.nullif(cls.district_code, empty), func.nullif(cls.city_code, empty),
                             cls.province_code)


Index("ix_enterprises_region_code", Enterprise.region_code)


class Account(IdentityBase):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))  # an enterprise's name (200)
    enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprises.id"), unique=True)
    level: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    can_review: Mapped[bool] = mapped_column(Boolean, default=False)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the last review-right change, and the newest one filing has confirmed applying (PATCH waits for it)
    review_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # reserved for self-service password reset (统一平台预留的邮箱/手机); an enterprise's mobile is its filler_mobile
    email: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(11))


class LoginFailure(IdentityBase):
    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Captcha(IdentityBase):
    __tablename__ = "captchas"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    answer: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# every service's audit entries (audit.recorded.v1), read by GET /api/v1/audit
audit_feed = audit_table("audit_feed", IdentityBase.metadata)
class PasswordResetCode(IdentityBase):
    """One requested reset code, hashed (argon2id). Unknown names get a row too, holding the hash of a code
    nobody was told, so every answer and its timing are the same for known and unknown accounts."""

    __tablename__ = "password_reset_codes"
    __table_args__ = (Index("ix_password_reset_codes_key_created", "key", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    key: Mapped[str] = mapped_column(String(80))  # as login failures count: the account, else the name typed
    account_id: Mapped[str | None] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    client: Mapped[str | None] = mapped_column(String(64))
    wrong_tries: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="live")  # live / used / burned / superseded
