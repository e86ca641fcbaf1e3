"""Building catalogue entries (table rows) with their derived columns."""
from __future__ import annotations

import uuid

from ..domain.entries import clean
from ..domain.normalise import model_key, name_key
from ..domain.search import search_fields
from ..models import Brand, CarModel, Displacement, Manufacturer


def _names(name: str, key: str) -> dict:
    return {"id": str(uuid.uuid4()), "name": clean(name), "name_key": key, **search_fields(name)}


def new_manufacturer(name: str, country: str, proposed_by: str | None) -> Manufacturer:
    return Manufacturer(**_names(name, name_key(name)), country=clean(country), proposed_by=proposed_by,
                        status="pending")


def new_brand(name: str, manufacturers: list[Manufacturer], proposed_by: str | None) -> Brand:
    return Brand(**_names(name, name_key(name)), manufacturers=manufacturers, proposed_by=proposed_by,
                 status="pending")


def new_displacement(litres: float, proposed_by: str | None) -> Displacement:
    return Displacement(id=str(uuid.uuid4()), litres=litres, proposed_by=proposed_by, status="pending")


def new_model(name: str, brand: Brand, manufacturer: Manufacturer, litres: list[float],
              proposed_by: str | None) -> CarModel:
    return CarModel(**_names(name, model_key(name, brand.name)), brand=brand, manufacturer=manufacturer,
                    displacements=[new_displacement(x, proposed_by) for x in dict.fromkeys(litres)],
                    proposed_by=proposed_by, status="pending")
