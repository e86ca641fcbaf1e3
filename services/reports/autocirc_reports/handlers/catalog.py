"""The approved catalogue, as catalog announces it: upserts, so repeats and any order are harmless."""
from __future__ import annotations

from decimal import Decimal

from autocirc_shared.events.catalog import BrandApproved, DisplacementAdded, ManufacturerApproved, ModelApproved
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.upserts import upsert

from ..models.catalog import CatalogBrand, CatalogDisplacement, CatalogManufacturer, CatalogModel


def litres(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


async def on_manufacturer_approved(event: ManufacturerApproved, uow: UnitOfWork) -> None:
    await upsert(uow.session, CatalogManufacturer.__table__, [{"id": event.manufacturer_id, "name": event.name}])


async def on_brand_approved(event: BrandApproved, uow: UnitOfWork) -> None:
    await upsert(uow.session, CatalogBrand.__table__, [{"id": event.brand_id, "name": event.name}])


async def on_model_approved(event: ModelApproved, uow: UnitOfWork) -> None:
    await upsert(uow.session, CatalogModel.__table__, [{"id": event.model_id, "name": event.name,
                                                       "brand_id": event.brand_id,
                                                       "manufacturer_id": event.manufacturer_id}])
    await upsert(uow.session, CatalogDisplacement.__table__,
                 [{"model_id": event.model_id, "litres": x} for x in {litres(v) for v in event.displacements}])


async def on_displacement_added(event: DisplacementAdded, uow: UnitOfWork) -> None:
    await upsert(uow.session, CatalogDisplacement.__table__,
                 [{"model_id": event.model_id, "litres": litres(event.litres)}])
