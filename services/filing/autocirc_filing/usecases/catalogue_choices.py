"""Brands in a filing must be approved catalogue entries: a brand with one of its manufacturers."""
from __future__ import annotations

from autocirc_shared.errors import FieldError
from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.form import FilingData
from ..models.catalog_projection import ProjectedBrandManufacturer


async def catalogue_errors(session: AsyncSession, data: FilingData) -> list[FieldError]:
    pairs = {(b.brand_id, b.manufacturer_id) for b in data.brands}
    if not pairs:
        return []
    known = set((await session.execute(
        select(ProjectedBrandManufacturer.brand_id, ProjectedBrandManufacturer.manufacturer_id).where(
            tuple_(ProjectedBrandManufacturer.brand_id, ProjectedBrandManufacturer.manufacturer_id).in_(pairs)))).all())
    return [FieldError(field=f"brands.{i}", code="filing.brand_unknown",
                       message="所选品牌或生产商不在已审核通过的品牌库中，请先在品牌管理中添加并等待审核")
            for i, b in enumerate(data.brands) if (b.brand_id, b.manufacturer_id) not in known]
