"""Building entries with their derived columns, and what makes a model name non-standard."""
from __future__ import annotations

import uuid

from autocirc_shared.errors import FieldError

from ..models import Brand, CarModel, Displacement, Manufacturer
from .normalise import glued_displacement, model_key, name_key, trim_words_in
from .search import search_fields


def clean(name: str) -> str:
    return " ".join(name.split())


def _names(name: str, key: str) -> dict:
    return {"id": str(uuid.uuid4()), "name": clean(name), "name_key": key, **search_fields(name)}


def new_manufacturer(name: str, country: str, proposed_by: str | None) -> Manufacturer:
    return Manufacturer(**_names(name, name_key(name)), country=clean(country), proposed_by=proposed_by,
                        status="pending")


def new_brand(name: str, manufacturers: list[Manufacturer], proposed_by: str | None) -> Brand:
    return Brand(**_names(name, name_key(name)), manufacturers=manufacturers, proposed_by=proposed_by,
                 status="pending")


def new_displacement(litres: float, proposed_by: str | None) -> Displacement:
    return Displacement(id=str(uuid.uuid4()), litres=litres, proposed_by=proposed_by)


def new_model(name: str, brand: Brand, manufacturer: Manufacturer, litres: list[float],
              proposed_by: str | None) -> CarModel:
    return CarModel(**_names(name, model_key(name, brand.name)), brand=brand, manufacturer=manufacturer,
                    displacements=[new_displacement(x, proposed_by) for x in dict.fromkeys(litres)],
                    proposed_by=proposed_by, status="pending")


def litres_label(litres: float) -> str:
    return f"{litres:.1f}L"


def model_name_issue(name: str) -> FieldError | None:
    """Models take standard names only: no trim level, no displacement (those are separate)."""
    if trims := trim_words_in(name):
        return FieldError(field="name", code="catalog.trim_word",
                          message=f"车型请填写标准名称，不能包含配置级别“{'、'.join(trims)}”，请删除后再提交")
    if displacement := glued_displacement(name):
        return FieldError(field="name", code="catalog.displacement_in_name",
                          message=f"车型名称不能包含排量“{displacement}”，排量请单独填写")
    return None
