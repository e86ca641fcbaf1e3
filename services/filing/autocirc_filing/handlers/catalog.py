"""The approved catalog, as catalog announces it: upserts, so repeats and any order are harmless."""
from __future__ import annotations

from collections.abc import Sequence

from autocirc_shared.events.catalog import BrandApproved, DisplacementAdded, ManufacturerApproved, ModelApproved
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import upsert as upsert_rows
from sqlalchemy import delete

from ..models.catalog_projection import (
    ProjectedBrand,
    ProjectedBrandManufacturer,
    ProjectedDisplacement,
    ProjectedManufacturer,
    ProjectedModel,
)


async def upsert(uow: UnitOfWork, model, rows: Sequence[dict]) -> None:
    await upsert_rows(uow.session, model.__table__, rows)


async def on_manufacturer_approved(event: ManufacturerApproved, uow: UnitOfWork) -> None:
    await upsert(uow, ProjectedManufacturer, [{"id": event.manufacturer_id, "name": event.name,
                                               "country": event.country, "approved_at": event.approved_at}])


async def on_brand_approved(event: BrandApproved, uow: UnitOfWork) -> None:
    await upsert(uow, ProjectedBrand, [{"id": event.brand_id, "name": event.name, "approved_at": event.approved_at}])
    link = ProjectedBrandManufacturer
    await uow.session.execute(delete(link).where(link.brand_id == event.brand_id,
                                                 link.manufacturer_id.not_in(event.manufacturer_ids)))
    await upsert(uow, link, [{"brand_id": event.brand_id, "manufacturer_id": m} for m in event.manufacturer_ids])


async def on_model_approved(event: ModelApproved, uow: UnitOfWork) -> None:
    await upsert(uow, ProjectedModel, [{"id": event.model_id, "name": event.name, "brand_id": event.brand_id,
                                        "manufacturer_id": event.manufacturer_id, "approved_at": event.approved_at}])
    await upsert(uow, ProjectedDisplacement, [{"model_id": event.model_id, "litres": x} for x in event.displacements])


async def on_displacement_added(event: DisplacementAdded, uow: UnitOfWork) -> None:
    await upsert(uow, ProjectedDisplacement, [{"model_id": event.model_id, "litres": event.litres}])
