"""Field-by-field difference between the confirmed version and a change, for the reviewer.

Labels read as on the form: a nested field is ``住所·街道门牌``, an image ``公章``. Values are shown
as the reviewer reads them: region codes by name, brands by brand and manufacturer name (from the
names given, else the id), branches as text, images by SHA-256. Whether something changed is
decided on the stored values, never on these texts.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autocirc_shared.flatten import flatten as _flatten
from autocirc_shared.refdata.regions import get_region
from pydantic import BaseModel

from .form import BRANCH_DETAILS, LABELS, FilingData
from .images import KINDS

EMPTY: tuple[object, ...] = (None, "", [])
REGION_FIELDS = {"province_code", "city_code", "district_code"}


def _sub_models() -> dict[str, type[BaseModel]]:
    """Top-level fields holding one nested form section (addresses, filler)."""
    out: dict[str, type[BaseModel]] = {}
    for name, field in FilingData.model_fields.items():
        for candidate in (field.annotation, *getattr(field.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                out[name] = candidate
    return out


SECTIONS = _sub_models()
ORDER = {name: i for i, name in enumerate(FilingData.model_fields)}


def field_label(field: str) -> str:
    """``residence.street`` → ``住所·街道门牌``; ``filler.mobile`` keeps its own label ``填报人手机``."""
    if field in LABELS:
        return LABELS[field]
    if field.startswith("media.") and field[6:] in KINDS:
        return KINDS[field[6:]]
    top, _, rest = field.partition(".")
    parts = [LABELS.get(top, top)]
    model = SECTIONS.get(top)
    for part in rest.split(".") if rest else ():
        inner = model.model_fields.get(part) if model else None
        parts.append(inner.description if inner is not None and inner.description else part)
        model = None
    return "·".join(parts)


def _rank(field: str) -> tuple[int, int]:
    top, _, rest = field.partition(".")
    if top == "media":
        return len(ORDER), list(KINDS).index(rest) if rest in KINDS else len(KINDS)
    model = SECTIONS.get(top)
    inner = list(model.model_fields).index(rest) if model and rest in model.model_fields else -1
    return ORDER.get(top, len(ORDER)), inner


def _region(code: object) -> object:
    region = get_region(code) if isinstance(code, str) else None
    return f"{region.name}（{code}）" if region else code


def _name(names: Mapping[str, str], ident: object) -> object:
    return names.get(ident, ident) if isinstance(ident, str) else ident


def _brands(choices: list[Any], names: Mapping[str, str]) -> str | None:
    def one(choice: dict[str, Any]) -> str:
        brand, maker = choice.get("brand_id"), choice.get("manufacturer_id")
        kind = "授权品牌" if choice.get("authorised") else "非授权品牌"
        return f"{_name(names, brand)}（{_name(names, maker)}，{kind}）"
    return "、".join(one(c) for c in choices if isinstance(c, dict)) or None


def _branches(rows: list[Any] | None) -> str | None:
    if not rows:
        return None
    texts: list[str] = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        details = "，".join(f"{label}：{row[key]}" for key, label in BRANCH_DETAILS.items() if row.get(key))
        texts.append(f"{row.get('name') or '（未填名称）'}" + (f"（{details}）" if details else ""))
    return "；".join(texts)


def _shown(field: str, value: Any, names: Mapping[str, str]) -> object:
    if value in EMPTY:
        return None if value == [] else value
    if field == "brands":
        return _brands(value, names)
    if field == "branches":
        return _branches(value)
    if field.partition(".")[2] in REGION_FIELDS:
        return _region(value)
    return value


def filing_diff(before: dict[str, Any] | None, after: dict[str, Any], *, media_before: Mapping[str, str] | None = None,
                media_after: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """In form order. Lists (branches, brands) compare whole, nested objects field by field; images
    (``media_before``/``media_after``: kind → SHA-256) by kind, when both sides are known. ``names``
    maps catalogue ids (brands, manufacturers) to their names."""
    names = names or {}
    flat_before, flat_after = _flatten(before or {}), _flatten(after)
    if media_before is not None and media_after is not None:
        flat_before.update({f"media.{k}": v for k, v in media_before.items()})
        flat_after.update({f"media.{k}": v for k, v in media_after.items()})
    changes: list[dict[str, Any]] = []
    for field in sorted(set(flat_before) | set(flat_after), key=lambda f: (_rank(f), f)):
        old, new = flat_before.get(field), flat_after.get(field)
        if old in EMPTY and new in EMPTY:
            continue
        if old != new:
            changes.append({"field": field, "label": field_label(field), "before": _shown(field, old, names),
                            "after": _shown(field, new, names)})
    return changes


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any], *, media_before: Mapping[str, str] | None = None,
                   media_after: Mapping[str, str] | None = None) -> list[str]:
    return [c["field"] for c in filing_diff(before, after, media_before=media_before, media_after=media_after)]
