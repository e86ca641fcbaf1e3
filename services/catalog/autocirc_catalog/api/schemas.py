"""Request and response bodies of catalog's public API (field labels in Chinese)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Status = Literal["pending", "approved", "rejected"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Litres = Annotated[Decimal, Field(ge=0, le=10, decimal_places=1,
                                  description="排量（升，0～10，最多1位小数；新能源车型填0）")]


class ManufacturerIn(BaseModel):
    name: Name = Field(description="生产商名称")
    country: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] = Field(
        description="国别（合资、国产工厂填“中国”；进口填原产国，如“德国”）")


class ManufacturerProposalIn(ManufacturerIn):
    brand_ids: list[Annotated[str, StringConstraints(max_length=36)]] = Field(
        default_factory=list, max_length=20,
        description="该生产商所生产的已有品牌（已审核通过的，或本账户提交待审核的）：新生产商审核通过后即关联到这些品牌")


class BrandIn(BaseModel):
    name: Name = Field(description="品牌名称")
    manufacturer_ids: list[str] = Field(default_factory=list, max_length=20,
                                        description="生产商标识（已审核通过的，或本账户提交待审核的）")
    new_manufacturers: list[ManufacturerIn] = Field(default_factory=list, max_length=10,
                                                    description="同时提交的新生产商（与品牌一并待审核）")


class ModelIn(BaseModel):
    brand_id: str = Field(description="品牌标识", max_length=36)
    manufacturer_id: str = Field(description="生产商标识（须为该品牌的生产商）", max_length=36)
    name: Name = Field(description="车型标准名称（不含配置级别如“舒适版”，不含排量如“1.5L”）")
    displacements: list[Litres] = Field(default_factory=list, max_length=20, description="排量（升）列表")


class DisplacementIn(BaseModel):
    litres: Litres


class CatalogRejectIn(BaseModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        description="驳回原因")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CatalogRef(_Out):
    id: str = Field(description="标识")
    name: str = Field(description="名称")
    status: Status = Field(description="审核状态：pending 待审核 / approved 已通过 / rejected 已驳回")


class ReviewedEntry(CatalogRef):
    reject_reason: str | None = Field(None, description="驳回原因")
    created_at: datetime = Field(description="提交时间")
    reviewed_at: datetime | None = Field(None, description="审核时间")


class ManufacturerOut(ReviewedEntry):
    country: str = Field(description="国别")


class BrandOut(ReviewedEntry):
    manufacturers: list[CatalogRef] = Field(description="生产商")


class DisplacementOut(_Out):
    id: str = Field(description="排量标识")
    litres: float = Field(description="排量（升，0表示新能源）")
    status: Status = Field(description="审核状态：随车型审核；已通过车型新增的排量须管理员审核通过后生效")
    reject_reason: str | None = Field(None, description="驳回原因")


class DisplacementEntryOut(DisplacementOut):
    """A displacement in the admin's review queue, with the model it belongs to."""

    name: str = Field(description="车型与排量（如“秦PLUS 1.5L”）")
    model: CatalogRef = Field(description="车型")
    brand: CatalogRef = Field(description="品牌")
    manufacturer: CatalogRef = Field(description="生产商")
    created_at: datetime = Field(description="提交时间")
    reviewed_at: datetime | None = Field(None, description="审核时间")

    @classmethod
    def of(cls, d) -> DisplacementEntryOut:
        return cls.model_validate({**DisplacementOut.model_validate(d).model_dump(), "name": d.name,
                                   "model": d.model, "brand": d.model.brand, "manufacturer": d.model.manufacturer,
                                   "created_at": d.created_at, "reviewed_at": d.reviewed_at}, from_attributes=True)


class ModelOut(ReviewedEntry):
    brand: CatalogRef = Field(description="品牌")
    manufacturer: CatalogRef = Field(description="生产商")
    displacements: list[DisplacementOut] = Field(description="排量")


class CatalogDuplicate(BaseModel):
    """Body of 409 ``catalog.duplicate`` (a problem document with the entry it collides with)."""

    code: Literal["catalog.duplicate"] = Field(description="错误代码")
    detail: str = Field(description="中文说明")
    existing: CatalogRef = Field(description="已存在的相同或相近条目")
