"""Cell values ↔ payload values, both ways, per column kind.

Reading only normalises what a spreadsheet does to values (numbers for text, date serials,
drop-down entries for codes); anything it cannot map is passed on as text, so the single
entry rules (``check_transaction``) answer with their own codes and messages.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from autocirc_shared.spreadsheet import DANGEROUS_PREFIXES, safe_cell
from openpyxl.utils.datetime import from_excel

from .columns import AGENT_PRESENT, BOOL, CHOICE, DATE, NUMBER, Column, columns

LOOSE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
MISSING = object()


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


def payload_of(layout: list[Column | None], values: list[Any]) -> dict:
    """A data row → a ``TransactionIn``-shaped dict (blank cells left out, as in a JSON body)."""
    payload: dict[str, dict] = {"buyer": {}, "seller": {}, "vehicle": {}, "deal": {}}
    agent: dict = {}
    agent_flag: Any = MISSING
    for column, value in zip(layout, values):
        if column is None:
            continue
        converted = to_payload_value(column, value)
        if converted is MISSING:
            continue
        if column.path == AGENT_PRESENT:
            agent_flag = converted
            continue
        section, name = column.path.split(".", 1)
        (agent if section == "agent" else payload[section])[name] = converted
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
