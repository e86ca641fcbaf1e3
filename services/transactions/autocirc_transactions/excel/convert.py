"""Cell values ↔ payload values, both ways, per column kind.

Reading only normalises what a spreadsheet does to values (numbers for text, date serials,
drop-down entries for codes); anything it cannot map is passed on as text, so the single
entry rules (``check_transaction``) answer with their own codes and messages.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from autocirc_shared.spreadsheet import DANGEROUS_PREFIXES, safe_cell
from openpyxl.utils.datetime import from_excel

from .columns import AGENT_PRESENT, BOOL, CHOICE, DATE, NUMBER, TEXT, Column, columns

LOOSE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
MISSING = object()
UNSEEN = object()
MAX_SEEN = 1024  # distinct entries remembered per drop-down column (immutable results: str, bool or MISSING)


def unescape(text: str) -> str:
    """Undo :func:`safe_cell`: ``'=1+1`` written by an export reads back as ``=1+1``."""
    if text.startswith("'") and text[1:].startswith(DANGEROUS_PREFIXES):
        return text[1:]
    return text


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _date(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 2958466:
        value = from_excel(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    match = LOOSE_DATE.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


def _bool(column: Column, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    code = column.choices.code_of(_text(value)) if column.choices else None
    return {"true": True, "false": False}.get(code or "", _text(value))


def _number(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _text(value).replace(",", "").replace("，", "")


def to_payload_value(column: Column, value: Any) -> Any:
    """One cell → the payload value, or MISSING for a blank cell."""
    if isinstance(value, str):
        value = unescape(value.strip())
    if value is None or value == "":
        return MISSING
    if column.kind == BOOL:
        return _bool(column, value)
    if column.kind == DATE:
        return _date(value)
    if column.kind == NUMBER:
        return _number(value)
    text = _text(value)
    if column.kind == CHOICE and column.choices is not None:
        return column.choices.code_of(text) or text
    return text


def _stripped(value: str) -> Any:
    """A string cell as :func:`to_payload_value` first treats it: stripped, unescaped, MISSING when blank."""
    value = value.strip()
    if not value:
        return MISSING
    return value[1:] if value[0] == "'" and value[1:].startswith(DANGEROUS_PREFIXES) else value


def _choice(value: str, code_of, as_bool: bool) -> Any:
    value = _stripped(value)
    if value is MISSING:
        return value
    if as_bool:
        return {"true": True, "false": False}.get(code_of(value) or "", value)
    return code_of(value) or value


def _converter(column: Column):
    """:func:`to_payload_value` for one column, with the common case (a string cell) of its kind inline."""
    convert = partial(to_payload_value, column)
    if column.kind == TEXT:
        def text(value: Any) -> Any:
            return _stripped(value) if value.__class__ is str else convert(value)
        return text
    if column.kind in (CHOICE, BOOL) and column.choices is not None:
        code_of = column.choices.code_of
        as_bool = column.kind == BOOL
        seen: dict[str, Any] = {}  # a drop-down column holds few distinct entries: each looked up once

        def choice(value: Any) -> Any:
            if value.__class__ is not str:
                return convert(value)
            result = seen.get(value, UNSEEN)
            if result is UNSEEN:
                if len(seen) >= MAX_SEEN:
                    seen.clear()
                result = seen[value] = _choice(value, code_of, as_bool)
            return result
        return choice
    return convert


_last_plan: tuple[list, tuple] = ([], ())


def _plan(layout: list[Column | None]) -> tuple[tuple, ...]:
    """Per used position of an uploaded layout: (index, section, name, converter), worked out once per file
    (remembered for the last layout seen, by identity: hashing 56 columns per row would cost more)."""
    global _last_plan
    known, plan = _last_plan
    if known is layout:
        return plan
    plan = []
    for index, column in enumerate(layout):
        if column is None:
            continue
        section, name = (AGENT_PRESENT, None) if column.path == AGENT_PRESENT else column.path.split(".", 1)
        plan.append((index, section, name, _converter(column)))
    _last_plan = (layout, tuple(plan))
    return _last_plan[1]


def payload_of(layout: list[Column | None], values: list[Any]) -> dict:
    """A data row → a ``TransactionIn``-shaped dict (blank cells left out, as in a JSON body)."""
    payload: dict[str, dict] = {"buyer": {}, "seller": {}, "vehicle": {}, "deal": {}}
    agent: dict = {}
    agent_flag: Any = MISSING
    count = len(values)
    for index, section, name, convert in _plan(layout):
        if index >= count:
            break
        value = values[index]
        if value is None:
            continue
        converted = convert(value)
        if converted is MISSING:
            continue
        if name is None:
            agent_flag = converted
        elif section == "agent":
            agent[name] = converted
        else:
            payload[section][name] = converted
    if agent or agent_flag is True:
        payload["agent"] = agent
    elif agent_flag not in (MISSING, False):
        payload["agent"] = agent_flag  # neither 是 nor 否: the schema's own error names the section
    return payload


def is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def to_cell(column: Column, value: Any) -> Any:
    """One stored value → what the template's column shows (safe for Excel)."""
    if value is None:
        return None
    if column.kind == BOOL:
        return "是" if value else "否"
    if column.kind == DATE:
        return date.fromisoformat(value) if isinstance(value, str) else value
    if column.kind == NUMBER:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return safe_cell(str(value))
    if column.kind == CHOICE and column.choices is not None:
        return safe_cell(column.choices.show(str(value)))
    return safe_cell(str(value))


def row_of(record: dict) -> list[Any]:
    """A stored record (``TransactionIn`` as JSON) → a row in template column order."""
    row = []
    for column in columns():
        if column.path == AGENT_PRESENT:
            row.append("是" if record.get("agent") else "否")
            continue
        section, name = column.path.split(".", 1)
        row.append(to_cell(column, (record.get(section) or {}).get(name)))
    return row
