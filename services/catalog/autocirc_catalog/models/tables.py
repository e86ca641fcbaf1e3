"""Catalog entries. Each carries its review state and the derived columns dedupe and search use.

``name_key`` is unique within its scope among entries that are not rejected (a partial
unique index), so a rejected name may be proposed again.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, Numeric, String, Table, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ACTIVE = text("status <> 'rejected'")


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class CatalogBase(DeclarativeBase):
    pass


class Reviewable:
    """Columns every reviewed entry has."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))
    search_key: Mapped[str] = mapped_column(String(100))
    pinyin: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    proposed_by: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def _unique_active(name: str, *columns: str) -> Index:
    return Index(name, *columns, unique=True, postgresql_where=ACTIVE, sqlite_where=ACTIVE)


brand_manufacturers = Table(
    "brand_manufacturers",
    CatalogBase.metadata,
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
    Column("manufacturer_id", ForeignKey("manufacturers.id", ondelete="CASCADE"), primary_key=True),
)


class Manufacturer(Reviewable, CatalogBase):
    __tablename__ = "manufacturers"
    __table_args__ = (_unique_active("uq_manufacturers_name_key", "name_key"),)

    country: Mapped[str] = mapped_column(String(50))


class Brand(Reviewable, CatalogBase):
    __tablename__ = "brands"
    __table_args__ = (_unique_active("uq_brands_name_key", "name_key"),)

    manufacturers: Mapped[list[Manufacturer]] = relationship(
        secondary=brand_manufacturers, lazy="selectin", order_by=Manufacturer.pinyin)


class CarModel(Reviewable, CatalogBase):
    __tablename__ = "car_models"
    __table_args__ = (_unique_active("uq_car_models_name_key", "manufacturer_id", "brand_id", "name_key"),)

    manufacturer_id: Mapped[str] = mapped_column(ForeignKey("manufacturers.id"), index=True)
    brand_id: Mapped[str] = mapped_column(ForeignKey("brands.id"), index=True)
    manufacturer: Mapped[Manufacturer] = relationship(lazy="selectin")
    brand: Mapped[Brand] = relationship(lazy="selectin")
    displacements: Mapped[list[Displacement]] = relationship(
        lazy="selectin", order_by="Displacement.litres", cascade="all, delete-orphan", back_populates="model")


class Displacement(CatalogBase):
    """Litres with one decimal place; 0 is a new-energy (electric) model.

    Reviewed with its model while the model is pending; one added to an approved model is a proposal of its
    own (``pending`` until the admin approves it, only then announced)."""

    __tablename__ = "displacements"
    __table_args__ = (UniqueConstraint("model_id", "litres", name="uq_displacements_model_litres"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    model_id: Mapped[str] = mapped_column(ForeignKey("car_models.id", ondelete="CASCADE"))
    litres: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False))
    proposed_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    model: Mapped[CarModel] = relationship(lazy="selectin", back_populates="displacements")

    @property
    def name(self) -> str:
        """How the review queue and its messages name it: the model and the litres (秦PLUS 1.5L)."""
        return f"{self.model.name} {self.litres:.1f}L"
