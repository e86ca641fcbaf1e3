"""The form's before-validators in their fused, inlined form (``schemas._required_normalised`` for a required
identifier, ``_required`` and ``_normalised`` with one strip) give what the former stacks gave: the same values,
the same errors, hence the same records and the same error lists from ``check_transaction``.

The former validators are kept here as the oracle; the former models are rebuilt from today's by putting them back
(``_required_norm(f)`` was ``_norm(f), _REQUIRED``; ``_text(n)`` was ``_REQUIRED, _max(n)``)."""
from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from annotated_types import MaxLen
from autocirc_shared.validation import (
    normalise_plate,
    normalise_resident_id,
    normalise_uscc,
    normalise_vin,
    resident_id_check_char,
)
from autocirc_transactions.domain import checks, schemas
from autocirc_transactions.domain.schemas import DealIn, PartyIn, TransactionIn, VehicleIn
from autocirc_transactions.excel.template import example_record
from pydantic import BaseModel, BeforeValidator, create_model
from pydantic_core import PydanticCustomError

from tests.integration.test_transactions_excel import record

TODAY = date(2026, 12, 3)


# -- the former validators (the oracle) ------------------------------------------------------------------------
def old_required(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError("field.required", "此项为必填项")
    return value.strip() if isinstance(value, str) else value


def old_optional(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def old_normalised(normalise):
    def before(value: Any) -> Any:
        value = old_optional(value)
        return normalise(value) if isinstance(value, str) else value
    return before


NORMALISERS = [normalise_plate, normalise_resident_id, normalise_uscc, normalise_vin, schemas._upper, str]
VALUES = [None, "", " ", " \t\u3000 ", "x", " x ", " 京a 12345 ", "lsvab2bm0hn123456 ", "\u3000abc\u3000", "a b",
          0, 5, 5.0, True, False, Decimal("1.50"), date(2024, 1, 2), [], {}, ["x"]]


def outcome(fn, value: Any) -> tuple:
    try:
        return ("ok", fn(value))
    except PydanticCustomError as error:
        return ("error", error.type, error.message())
    except Exception as error:  # a normaliser's own failure must be the same too
        return ("raised", type(error), str(error))


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_fused_validators_equal_the_former_stacks(normalise) -> None:
    for value in VALUES:
        assert outcome(schemas._required_normalised(normalise), value) == \
            outcome(lambda v: old_normalised(normalise)(old_required(v)), value), value
        assert outcome(schemas._normalised(normalise), value) == outcome(old_normalised(normalise), value), value
    for value in VALUES:
        assert outcome(schemas._required, value) == outcome(old_required, value), value
        assert outcome(schemas._optional, value) == outcome(old_optional, value), value


# -- the former models, rebuilt ----------------------------------------------------------------------------------
def _former(validator: BeforeValidator) -> list[BeforeValidator]:
    func = validator.func
    if func is schemas._required:
        return [BeforeValidator(old_required)]
    if func is schemas._optional:
        return [BeforeValidator(old_optional)]
    cells = dict(zip(func.__code__.co_freevars, [c.cell_contents for c in func.__closure__]))
    if func.__qualname__.startswith("_required_text"):  # was ``_REQUIRED, _max(n)``
        return [BeforeValidator(old_required), MaxLen(cells["max_length"])]
    normalise = cells["normalise"]
    if func.__qualname__.startswith("_required_normalised"):
        return [BeforeValidator(old_normalised(normalise)), BeforeValidator(old_required)]  # right to left
    assert func.__qualname__.startswith("_normalised"), func
    return [BeforeValidator(old_normalised(normalise))]


def _former_model(model: type[BaseModel], sections: dict[str, Any] | None = None) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    swapped = 0
    for name, info in model.model_fields.items():
        info = copy.copy(info)
        metadata = []
        for item in info.metadata:
            if isinstance(item, BeforeValidator):
                metadata += _former(item)
                swapped += 1
            else:
                metadata.append(item)
        info.metadata = metadata
        fields[name] = ((sections or {}).get(name, info.annotation), info)
    assert swapped or sections, model
    return create_model(f"Former{model.__name__}", __base__=model, **fields)


FormerPartyIn = _former_model(PartyIn)
FORMER_SECTIONS = {"buyer": FormerPartyIn, "seller": FormerPartyIn, "agent": FormerPartyIn | None,
                   "vehicle": _former_model(VehicleIn), "deal": _former_model(DealIn)}
FormerTransactionIn = _former_model(TransactionIn, FORMER_SECTIONS)


def test_the_former_models_have_the_former_stacks() -> None:
    funcs = [m.func for m in FormerPartyIn.model_fields["mobile"].metadata if isinstance(m, BeforeValidator)]
    assert funcs[-1] is old_required and funcs[0].__qualname__.startswith("old_normalised"), funcs
    name = FormerPartyIn.model_fields["name"].metadata
    assert [m.func for m in name if isinstance(m, BeforeValidator)] == [old_required] and MaxLen(200) in name, name


def former_check(payload: Any, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(checks, "TransactionIn", FormerTransactionIn)
        patch.setattr(checks, "SECTION_MODELS", {"buyer": FormerPartyIn, "seller": FormerPartyIn,
                                                 "agent": FormerPartyIn, "vehicle": FORMER_SECTIONS["vehicle"],
                                                 "deal": FORMER_SECTIONS["deal"]})
        checks._adapter.cache_clear()
        result = checks.check_transaction(copy.deepcopy(payload), today=TODAY)
    checks._adapter.cache_clear()
    return result


def as_compared(result) -> tuple:
    record, errors = result
    return (record.model_dump() if record is not None else None,
            [(e.field, e.code, e.message) for e in errors])


def _wrong_check_char(vin: str) -> str:
    return vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]


def _with_check_char(body: str) -> str:
    return body + resident_id_check_char(body)


def bad_rows() -> list[dict]:
    """Rows breaking every shape and domain rule the checks apply (each error code at least once)."""
    base = example_record()
    patches: list[dict[str, dict[str, Any]]] = [
        {"buyer": {"name": "  "}}, {"buyer": {"name": None}}, {"buyer": {"mobile": " "}}, {"buyer": {"mobile": 5}},
        {"buyer": {"name": "x" * 201}}, {"buyer": {"id_number": "110101199003071234"}},
        {"buyer": {"id_number": None}}, {"buyer": {"ethnicity": "火星族"}}, {"buyer": {"nationality": "XXX"}},
        {"buyer": {"nationality": "USA", "id_type": "resident_id"}},
        {"buyer": {"nationality": "USA", "id_type": "passport", "id_number": "?"}},
        {"buyer": {"ethnicity": " "}}, {"buyer": {"id_type": "card"}}, {"buyer": {"extra": 1}},
        {"seller": {"uscc": "91330106MA27XQ8B1X"}}, {"seller": {"uscc": None}},
        {"seller": {"has_uscc": False, "uscc": None, "org_code": None}},
        {"seller": {"has_uscc": False, "uscc": None, "org_code": "12345678X"}},
        {"vehicle": {"vin": "LSVAB2BM1HN123456"}}, {"vehicle": {"vin": " "}}, {"vehicle": {"vin": "ABC"}},
        {"vehicle": {"plate_number": "京"}}, {"vehicle": {"plate_number": None}},
        {"vehicle": {"registration_cert_no": "12"}}, {"vehicle": {"vehicle_type": "ZZZ"}},
        {"vehicle": {"vehicle_type": " "}}, {"vehicle": {"usage_code": "Q"}}, {"vehicle": {"usage_code": None,
                                                                                           "usage": None}},
        {"vehicle": {"first_registration_date": "2099-01-01"}}, {"vehicle": {"first_registration_date": "x"}},
        {"vehicle": {"first_registration_date": "2024-05-01"}}, {"vehicle": {"report_category": "bus"}},
        {"vehicle": {"vehicle_type": "K31", "report_category": None}}, {"vehicle": {"origin": "mars"}},
        {"deal": {"price": "1"}}, {"deal": {"price": "1.234"}}, {"deal": {"price": None}}, {"deal": {"price": "x"}},
        {"deal": {"trade_date": "2099-01-01"}}, {"deal": {"trade_date": None}},
        {"deal": {"transfer_region_code": "999999"}}, {"deal": {"invoice_no": "1"}}, {"deal": {"invoice_no": " "}},
        {"deal": {"trade_type": "gift"}}, {"deal": {"trade_type": " "}},
        {"deal": {"initial_purchase_date": "2025-01-01"}}, {"deal": {"initial_purchase_price": "-1"}},
        {"buyer": {"mobile": "12345"}}, {"buyer": {"name": "李\x01四"}}, {"vehicle": {"usage_code": "ZZ"}},
        {"vehicle": {"vin": _wrong_check_char(base["vehicle"]["vin"])}},
        {"buyer": {"id_number": _with_check_char("11010119901307123")}},
        {"deal": {"mileage_km": "1.25"}}, {"deal": {"mileage_km": "nan"}}, {"deal": {"operator_unit": ""}},
    ]
    rows = []
    for patch in patches:
        row = copy.deepcopy(base)
        for section, update in patch.items():
            row[section].update(update)
        rows.append(row)
    rows += [{**copy.deepcopy(base), "vehicle": "x"}, {**copy.deepcopy(base), "extra": 1},
             {k: v for k, v in copy.deepcopy(base).items() if k != "deal"}, []]
    return rows


def test_records_and_errors_equal_the_former_models(monkeypatch: pytest.MonkeyPatch) -> None:
    good = [example_record()] + [record(i) for i in range(60)]
    for payload in good:
        new = as_compared(checks.check_transaction(copy.deepcopy(payload), today=TODAY))
        assert new[1] == [] and new == as_compared(former_check(payload, monkeypatch))
    codes: set[str] = set()
    refused = 0
    for payload in bad_rows():
        new = as_compared(checks.check_transaction(copy.deepcopy(payload), today=TODAY))
        assert new == as_compared(former_check(payload, monkeypatch)), payload
        codes |= {code for _, code, _ in new[1]}
        refused += new[0] is None
    assert refused >= len(bad_rows()) - 3
    assert {"date.future", "date.order", "ethnicity.unknown", "field.choice", "field.date",
            "field.decimal_places", "field.invalid", "field.range", "field.required", "field.too_long", "field.type",
            "field.unknown", "id_number.birth_date", "id_number.checksum", "id_number.format", "id_type.nationality",
            "invoice_no.format", "mobile.format", "nationality.unknown", "org_code.checksum", "plate.format",
            "price.range", "region.unknown", "registration_cert_no.format", "report_category.required",
            "usage_code.unknown", "uscc.checksum", "vehicle_type.unknown", "vin.checksum", "vin.format"} <= codes, codes


def test_text_too_long_is_told_as_text_too_long_not_as_too_many_items() -> None:
    """A required text's length is checked after its before-validator, by pydantic's generic length check
    (``too_long``, whose message was a list's: 项目过多): for a text it is told as 内容太长."""
    for section, name, limit in (("buyer", "name", 200), ("vehicle", "brand_model", 100), ("deal", "operator_unit", 200)):
        payload = example_record()
        payload[section][name] = " " + "长" * limit + " "  # stripped first: at the limit
        assert checks.check_transaction(copy.deepcopy(payload), today=TODAY)[1] == []
        payload[section][name] = "长" * (limit + 1)
        record_, errors = checks.check_transaction(payload, today=TODAY)
        assert record_ is None and [(e.field, e.code) for e in errors] == [(f"{section}.{name}", "field.too_long")]
        assert errors[0].message.endswith("内容太长") and "项目过多" not in errors[0].message
