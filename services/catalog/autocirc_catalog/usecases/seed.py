"""The starter set (data/starter.json): real manufacturers, brands and models (with displacements) sold in China,
approved, so a new-car dealer can file 汽车销售月报 from the first day.

Run at every start-up. An entry is inserted only if its name key has never existed in any
status (so the admin's rejection of a starter entry sticks), and its approval events are
emitted then, once, so the other services' projections receive the starter set too.
"""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.normalise import model_key, name_key
from ..models import Brand, CarModel, Manufacturer
from ..models.tables import Reviewable
from .entries import new_brand, new_manufacturer, new_model
from .review import approve

log = logging.getLogger(__name__)

STARTER = Path(__file__).resolve().parent.parent / "data" / "starter.json"


_Entry = TypeVar("_Entry", bound=Reviewable)


async def _by_key(uow: UnitOfWork, table: type[_Entry]) -> dict[str, _Entry]:
    """Every entry by name key; an active one wins over rejected ones."""
    out: dict[str, _Entry] = {}
    for row in (await uow.session.scalars(select(table).order_by(table.created_at))).all():
        if row.status != "rejected" or row.name_key not in out:
            out[row.name_key] = row
    return out


async def _starter_models(uow: UnitOfWork, items: list[dict[str, Any]], makers: dict[str, Manufacturer],
                          brands: dict[str, Brand], added: list[Reviewable]) -> list[CarModel]:
    """Models of approved (or just added) starter brands and suppliers whose name was never used for that pair."""
    existing = {(m.brand_id, m.manufacturer_id, m.name_key) for m in (await uow.session.scalars(select(CarModel))).all()}

    def usable(entry: Reviewable | None) -> bool:
        return entry is not None and (entry in added or entry.status == "approved")

    out = []
    for item in items:
        brand, maker = brands.get(name_key(item["brand"])), makers.get(name_key(item["manufacturer"]))
        if brand is None or maker is None or not (usable(brand) and usable(maker)) or maker not in brand.manufacturers:
            continue
        if (brand.id, maker.id, model_key(item["name"], brand.name)) in existing:
            continue
        out.append(new_model(item["name"], brand, maker, [float(x) for x in item["displacements"]], None))
    return out


async def seed_starter(uow: UnitOfWork) -> int:
    data = json.loads(STARTER.read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    makers, brands = await _by_key(uow, Manufacturer), await _by_key(uow, Brand)
    added: list[Reviewable] = []
    for item in data["manufacturers"]:
        if (key := name_key(item["name"])) not in makers:
            makers[key] = new_manufacturer(item["name"], item["country"], None)
            added.append(makers[key])
    for item in data["brands"]:
        if name_key(item["name"]) in brands:
            continue
        chosen = [m for m in (makers.get(name_key(n)) for n in item["manufacturers"])
                  if m is not None and (m in added or m.status == "approved")]
        if chosen:
            brands[name_key(item["name"])] = new_brand(item["name"], chosen, None)
            added.append(brands[name_key(item["name"])])
    added += await _starter_models(uow, data.get("models", []), makers, brands, added)
    try:
        uow.session.add_all(added)
        await uow.session.flush()  # ids of new brands and suppliers reach their models before the events are built
        for entry in added:
            for event in approve(entry, None, now):
                uow.emit(event)
        await uow.commit()
    except IntegrityError:  # another replica seeded at the same moment
        await uow.rollback()
        return 0
    if added:
        log.info("catalog starter set: %d entries added", len(added))
    return len(added)
