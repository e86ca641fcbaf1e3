"""filing's read-model of the approved catalog (fed by catalog's events).

No foreign keys: events arrive in any order (a brand before its manufacturers, a
displacement before its model), so rows reference each other by id only.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from . import FilingBase


class ProjectedManufacturer(FilingBase):
    __tablename__ = "catalog_manufacturers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(50))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectedBrand(FilingBase):
    __tablename__ = "catalog_brands"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectedBrandManufacturer(FilingBase):
    """Which approved manufacturers make an approved brand (the pairs a 备案 may choose)."""

    __tablename__ = "catalog_brand_manufacturers"

    brand_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    manufacturer_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class ProjectedModel(FilingBase):
    __tablename__ = "catalog_models"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    brand_id: Mapped[str] = mapped_column(String(36), index=True)
    manufacturer_id: Mapped[str] = mapped_column(String(36), index=True)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectedDisplacement(FilingBase):
    """A model's displacement in litres (one decimal place; 0 for new-energy models)."""

    __tablename__ = "catalog_displacements"

    model_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    litres: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False), primary_key=True)
