"""One record, parsed and checked: every problem at once, each with its dotted field path.

Used by single entry, editing and the workbook import alike. A section that parses is checked
by the domain rules even when another section has shape errors, so a clerk sees everything in
one round. A valid record comes back normalised, with the derivable fields filled in.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated, Any, TypeVar

from autocirc_shared.errors import FieldError, translate_validation_errors
from autocirc_shared.refdata.ethnicities import get_ethnicity
from autocirc_shared.refdata.usage import get_usage
from autocirc_shared.refdata.vehicle_types import report_category_for
from autocirc_shared.validation import to_chinese_upper, vin_origin
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticUndefined

from . import rules
from .labels import PARTY_LABELS, SECTION_MODELS, field_label, form_order
from .schemas import DealIn, PartyIn, TransactionIn, VehicleIn

_M = TypeVar("_M", bound=BaseModel)


def check_transaction(payload: Any, *, today: date) -> tuple[TransactionIn | None, list[FieldError]]:
    """Parse and validate one record; ``(normalised record, [])`` or ``(None, errors)``."""
    if not isinstance(payload, dict):
        return None, [FieldError(field="body", code="field.type", message="请求内容应为对象")]
    errors: list[FieldError] = []
    try:
        record: TransactionIn | None = TransactionIn.model_validate(payload)
    except ValidationError as exc:
        record = None
        errors += [_labelled(e) for e in translate_validation_errors(exc.errors())]
    errors += _domain_errors(_sections(record, payload), today)
    if errors:
        first: dict[str, FieldError] = {}  # one error per field: the shape error, else the first rule broken
        for error in errors:
            first.setdefault(error.field, error)
        return None, sorted(first.values(), key=lambda e: form_order(e.field))
    assert record is not None
    return derive(record), []


def _sections(record: TransactionIn | None, payload: dict[str, Any]) -> dict[str, BaseModel]:
    """Each section present, whole when the record parses, else with its bad fields set to None."""
    if record is not None:
        return {name: getattr(record, name) for name in SECTION_MODELS if getattr(record, name) is not None}
    return {name: _partial(model, payload[name]) for name, model in SECTION_MODELS.items()
            if isinstance(payload.get(name), dict)}


@lru_cache(maxsize=64)
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]  # built at run time, no static form


def _partial(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    """The fields of ``data`` that are valid on their own (their errors are reported by the full parse)."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        try:
            values[name] = _adapter(model, name).validate_python(data[name]) if name in data else info.default
        except ValidationError:
            values[name] = None
    values = {k: (None if v is PydanticUndefined else v) for k, v in values.items()}
    return model.model_construct(**values)


def _domain_errors(sections: dict[str, BaseModel], today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    for name, section in sections.items():
        if isinstance(section, PartyIn):
            problems = rules.party_problems(section, today)
        elif isinstance(section, VehicleIn):
            problems = rules.vehicle_problems(section, today)
        else:
            assert isinstance(section, DealIn), "the sections are parties, the vehicle and the deal"
            problems = rules.deal_problems(section, today)
        errors += [_error(f"{name}.{field}", issue.code, issue.message) for field, issue in problems]
    vehicle, deal = sections.get("vehicle"), sections.get("deal")
    if isinstance(vehicle, VehicleIn) and isinstance(deal, DealIn):
        errors += [_error(path, issue.code, issue.message) for path, issue in rules.cross_problems(vehicle, deal)]
    return errors


def _error(path: str, code: str, message: str) -> FieldError:
    """Party messages name the party (买方/卖方/代理人): both carry the same fields."""
    prefix = PARTY_LABELS.get(path.split(".", 1)[0])
    return FieldError(field=path, code=code, message=f"{prefix}：{message}" if prefix else message)


def _labelled(error: FieldError) -> FieldError:
    """Pydantic's generic messages ("此项为必填项") get the field's label in front."""
    label = field_label(error.field)
    return error if label == error.field else error.model_copy(update={"message": f"{label}：{error.message}"})


def derive(record: TransactionIn) -> TransactionIn:
    """Fill in what may be omitted and drop what does not apply, in place: ``record`` is one this module has
    just parsed and shares with nobody (a checked record only). The result equals ``model_copy(update=...)``
    of each section, without its copies (they were half of a row's checking time in an import)."""
    vehicle, deal = record.vehicle, record.deal
    usage = get_usage(vehicle.usage_code)
    category, _ = report_category_for(vehicle.vehicle_type, vehicle.report_category)
    _party(record.buyer)
    _party(record.seller)
    if record.agent:
        _party(record.agent)
    _set(vehicle, report_category=category, usage=usage.group if usage else vehicle.usage,
         origin=vehicle.origin or vin_origin(vehicle.vin))
    _set(deal, price_upper=to_chinese_upper(deal.price))
    return _set(record, buyer=record.buyer, seller=record.seller, agent=record.agent or None, vehicle=vehicle,
                deal=deal)


def _set(model: _M, **update: Any) -> _M:
    """What ``model_copy(update=update)`` gives, done to ``model`` itself (no validation, as there)."""
    model.__dict__.update(update)
    model.__pydantic_fields_set__.update(update)
    return model


def _party(party: PartyIn) -> None:
    if party.is_enterprise:
        _set(party, has_uscc=rules.has_uscc(party), nationality=None, ethnicity=None, id_type=None, id_number=None)
        return
    nationality = party.nationality or rules.DEFAULT_NATIONALITY
    ethnicity = get_ethnicity(party.ethnicity) if nationality == rules.DEFAULT_NATIONALITY else None
    _set(party, has_uscc=False, uscc=None, org_code=None, nationality=nationality,
         ethnicity=ethnicity.name if ethnicity else None, id_type=party.id_type or rules.default_id_type(nationality))


__all__ = ["check_transaction", "derive", "DealIn", "PartyIn", "TransactionIn", "VehicleIn"]
