"""汽车销售月报 rows: supplier and brand from the enterprise's filing, model and displacement
approved in the catalogue for that brand."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from autocirc_shared.errors import FieldError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.catalog import CatalogBrand, CatalogDisplacement, CatalogManufacturer, CatalogModel
from ..models.enterprises import Enterprise

LITRE = Decimal("0.1")


async def _displacements(session: AsyncSession, model_ids: set[str]) -> dict[str, list[Decimal]]:
    rows = (await session.execute(select(CatalogDisplacement.model_id, CatalogDisplacement.litres).where(
        CatalogDisplacement.model_id.in_(model_ids)).order_by(CatalogDisplacement.litres))).all()
    out: dict[str, list[Decimal]] = {}
    for model_id, litres in rows:
        out.setdefault(model_id, []).append(Decimal(litres).quantize(LITRE))
    return out


def _error(i: int, field: str, code: str, message: str) -> FieldError:
    return FieldError(field=f"rows.{i}.{field}", code=code, message=f"第{i + 1}行：{message}")


async def catalogue_errors(session: AsyncSession, enterprise: Enterprise, rows: Sequence[dict]) -> list[FieldError]:
    filed = {(b["brand_id"], b["manufacturer_id"]) for b in enterprise.brands or []}
    model_ids = {row["model_id"] for row in rows}
    models = {m.id: m for m in (await session.scalars(select(CatalogModel).where(CatalogModel.id.in_(model_ids))))}
    litres = await _displacements(session, model_ids)
    errors = []
    for i, row in enumerate(rows):
        model = models.get(row["model_id"])
        if (row["brand_id"], row["manufacturer_id"]) not in filed:
            errors.append(_error(i, "brand_id", "report.brand_not_filed", "品牌及供应商须为本企业备案信息中选择的品牌"))
        elif model is None or (model.brand_id, model.manufacturer_id) != (row["brand_id"], row["manufacturer_id"]):
            errors.append(_error(i, "model_id", "report.model_unknown",
                                 "车型不存在、尚未审核通过或不属于所选品牌和供应商，可先申请增加车型"))
        elif Decimal(row["displacement"]).quantize(LITRE) not in litres.get(model.id, []):
            errors.append(_error(i, "displacement", "report.displacement_unknown",
                                 "该车型没有此排量，可先申请增加排量"))
    return errors


async def brand_choices(uow: UnitOfWork, enterprise: Enterprise) -> list[dict]:
    """The filing's brands with their supplier, and each brand's approved models and displacements."""
    session = uow.session
    brands = enterprise.brands or []
    ids = {b["brand_id"] for b in brands}
    wanted = ids | {b["manufacturer_id"] for b in brands}
    names: dict[str, str] = {}
    for table in (CatalogBrand, CatalogManufacturer):
        names.update(dict((await session.execute(select(table.id, table.name).where(table.id.in_(wanted)))).all()))
    models = list(await session.scalars(select(CatalogModel).where(CatalogModel.brand_id.in_(ids))
                                        .order_by(CatalogModel.name)))
    litres = await _displacements(session, {m.id for m in models})
    return [{"manufacturer_id": b["manufacturer_id"], "manufacturer_name": names.get(b["manufacturer_id"], ""),
             "brand_id": b["brand_id"], "brand_name": names.get(b["brand_id"], ""), "authorised": b["authorised"],
             "models": [{"model_id": m.id, "name": m.name, "displacements": [float(x) for x in litres.get(m.id, [])]}
                        for m in models if (m.brand_id, m.manufacturer_id) == (b["brand_id"], b["manufacturer_id"])]}
            for b in brands]
