"""Chinese labels of the form's fields, read from the schema descriptions (one source of truth)."""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from .schemas import DealIn, PartyIn, TransactionIn, VehicleIn

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "buyer": PartyIn, "seller": PartyIn, "agent": PartyIn, "vehicle": VehicleIn, "deal": DealIn}
PARTY_LABELS = {"buyer": "买方", "seller": "卖方", "agent": "代理人"}
SECTIONS = tuple(SECTION_MODELS)
_CUT = re.compile(r"[（(：:]")


@lru_cache(maxsize=256)
def field_label(path: str) -> str:
    """``buyer.id_number`` → ``买方身份证号/证件号码``; ``vehicle.vin`` → ``车架号/车辆识别代码``."""
    section, _, field = path.partition(".")
    model = SECTION_MODELS.get(section)
    if model is None:
        return path
    if not field:
        return _short(TransactionIn.model_fields[section].description)
    info = model.model_fields.get(field.split(".")[0])
    return PARTY_LABELS.get(section, "") + _short(info.description) if info else path


def _short(description: str | None) -> str:
    return _CUT.split(description or "", maxsplit=1)[0].strip()


def form_order(path: str) -> tuple[int, int]:
    """Where a field path sits in the form (errors are listed as the form reads)."""
    section, _, field = path.partition(".")
    model = SECTION_MODELS.get(section)
    if model is None:
        return -1, 0
    names = list(model.model_fields)
    head = field.split(".")[0]
    return SECTIONS.index(section), names.index(head) if head in names else -1
