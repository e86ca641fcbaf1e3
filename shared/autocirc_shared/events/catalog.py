"""Events published by services/catalog: only approved entries exist for other services.

Consumers must tolerate any order (a brand may arrive before its manufacturers, a
displacement before its model) and repeats: project by upsert, keyed by the ids.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .base import Event


class ManufacturerApproved(Event):
    NAME = "catalog.manufacturer_approved.v1"

    manufacturer_id: str = Field(description="生产商标识")
    name: str = Field(description="生产商名称")
    country: str = Field(description="国别")
    approved_at: datetime = Field(description="审核通过时间")


class BrandApproved(Event):
    NAME = "catalog.brand_approved.v1"

    brand_id: str = Field(description="品牌标识")
    name: str = Field(description="品牌名称")
    manufacturer_ids: list[str] = Field(description="该品牌的生产商（均已审核通过）")
    approved_at: datetime = Field(description="审核通过时间")


class ModelApproved(Event):
    NAME = "catalog.model_approved.v1"

    model_id: str = Field(description="车型标识")
    name: str = Field(description="车型名称")
    brand_id: str = Field(description="品牌标识")
    manufacturer_id: str = Field(description="生产商标识")
    displacements: list[float] = Field(description="排量（升，0表示新能源）")
    approved_at: datetime = Field(description="审核通过时间")


class DisplacementAdded(Event):
    """A displacement of an approved model: added later, or approved together with the model."""

    NAME = "catalog.displacement_added.v1"

    displacement_id: str = Field(description="排量标识")
    model_id: str = Field(description="车型标识")
    litres: float = Field(description="排量（升，0表示新能源）")
    added_at: datetime = Field(description="生效时间")
