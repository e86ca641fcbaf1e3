"""reports's read-model of the approved catalogue (汽车销售月报 rows are checked against it).

No foreign keys: catalogue events arrive in any order.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from . import ReportsBase


class CatalogManufacturer(ReportsBase):
    __tablename__ = "catalog_manufacturers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class CatalogBrand(ReportsBase):
    __tablename__ = "catalog_brands"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class CatalogModel(ReportsBase):
    __tablename__ = "catalog_models"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    brand_id: Mapped[str] = mapped_column(String(36), index=True)
    manufacturer_id: Mapped[str] = mapped_column(String(36))


class CatalogDisplacement(ReportsBase):
    """A model's displacement in litres (0 for new-energy models)."""

    __tablename__ = "catalog_displacements"

    model_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    litres: Mapped[Decimal] = mapped_column(Numeric(4, 1), primary_key=True)
