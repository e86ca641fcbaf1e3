"""The import template's columns: Chinese header ↔ dotted field path of ``TransactionIn``.

Headers are the form's labels, read from the schema descriptions (``domain.labels``), with a
unit where the label alone is ambiguous; the template, the import, the errors workbook and
the export all use this one list, so an exported workbook imports back as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from autocirc_shared.errors import AppError
from pydantic import BaseModel

from ..domain.labels import SECTION_MODELS, field_label
from .choices import YES_NO, Choices, enumerations

TEXT, BOOL, CHOICE, DATE, NUMBER = "text", "bool", "choice", "date", "number"
AGENT_PRESENT = "agent"  # the 是否有代理人 column: an agent row is read only when it says 是 or has data

PARTY = (("name", TEXT), ("is_enterprise", BOOL), ("has_uscc", BOOL), ("uscc", TEXT), ("org_code", TEXT),
         ("nationality", CHOICE), ("ethnicity", CHOICE), ("id_type", CHOICE), ("id_number", TEXT),
         ("address", TEXT), ("mobile", TEXT))
VEHICLE = (("plate_number", TEXT), ("registration_cert_no", TEXT), ("vin", TEXT), ("vin_checksum_confirmed", BOOL),
           ("brand_model", TEXT), ("vehicle_type", CHOICE), ("report_category", CHOICE), ("usage", CHOICE),
           ("usage_code", CHOICE), ("first_registration_date", DATE), ("origin", CHOICE))
DEAL = (("trade_date", DATE), ("transfer_office", TEXT), ("transfer_region_code", TEXT), ("price", NUMBER),
        ("price_upper", TEXT), ("operator_unit", TEXT), ("trade_type", CHOICE), ("invoice_no", TEXT),
        ("initial_purchase_price", NUMBER), ("initial_purchase_date", DATE), ("mileage_km", NUMBER))
SUFFIXES = {"deal.price": "（小写，元）", "deal.price_upper": "（大写）", "deal.initial_purchase_price": "（元）",
            "deal.mileage_km": "（公里）"}
WIDTHS = {TEXT: 18, BOOL: 10, CHOICE: 16, DATE: 13, NUMBER: 14}


@dataclass(frozen=True)
class Column:
    path: str
    header: str
    kind: str
    required: bool
    help: str
    choices: Choices | None = None

    @property
    def width(self) -> int:
        return max(WIDTHS[self.kind], min(len(self.header) * 2 + 2, 30))


def _column(section: str, name: str, kind: str, model: type[BaseModel]) -> Column:
    path = f"{section}.{name}"
    info = model.model_fields[name]
    choices = YES_NO if kind == BOOL else enumerations()[name] if kind == CHOICE else None
    return Column(path=path, header=field_label(path) + SUFFIXES.get(path, ""), kind=kind,
                  required=info.is_required() and section != "agent", help=info.description or "", choices=choices)


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    out: list[Column] = []
    for section in ("buyer", "seller", "agent"):
        if section == "agent":
            out.append(Column(AGENT_PRESENT, "是否有代理人", BOOL, False, "有代理人时填“是”并填写代理人信息", YES_NO))
        out += [_column(section, name, kind, SECTION_MODELS[section]) for name, kind in PARTY]
    out += [_column("vehicle", name, kind, SECTION_MODELS["vehicle"]) for name, kind in VEHICLE]
    out += [_column("deal", name, kind, SECTION_MODELS["deal"]) for name, kind in DEAL]
    return tuple(out)


def headers() -> list[str]:
    return [c.header for c in columns()]


def normalise_header(text: object) -> str:
    """Lenient header matching: spaces, a leading * (required mark) and bracket width ignored."""
    value = "".join(str(text or "").split()).lstrip("*＊")
    return value.replace("(", "（").replace(")", "）").replace(",", "，")


@lru_cache(maxsize=1)
def _by_header() -> dict[str, Column]:
    return {normalise_header(c.header): c for c in columns()}


@lru_cache(maxsize=1)
def _by_path() -> dict[str, Column]:
    return {c.path: c for c in columns()}


def column_for_field(path: str) -> Column | None:
    """The column an error on ``path`` belongs to (``agent`` → 是否有代理人); None for whole sections."""
    return _by_path().get(path)


def layout_of(header_row: list) -> list[Column | None]:
    """Each position of the uploaded header row → its column; refuses a file missing template columns."""
    layout = [_by_header().get(normalise_header(value)) if value is not None else None for value in header_row]
    seen = [c for c in layout if c is not None]
    missing = [c.header for c in columns() if c not in seen]
    if missing:
        shown = "、".join(missing[:8]) + ("等" if len(missing) > 8 else "")
        raise AppError(422, "import.header",
                       f"表头与导入模板不一致，缺少列：{shown}。请在“表格下载”中下载最新的导入模板")
    if len(seen) != len(set(seen)):
        raise AppError(422, "import.header", "表头中有重复的列，请使用导入模板")
    return layout
