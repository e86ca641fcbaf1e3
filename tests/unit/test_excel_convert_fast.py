"""The text-cell fast path of ``to_payload_value`` answers what the general conversion answers."""
from __future__ import annotations

from datetime import date, datetime

from autocirc_transactions.excel.columns import TEXT, columns
from autocirc_transactions.excel.convert import MISSING, _text, payload_of, to_payload_value, unescape

TEXT_COLUMN = next(c for c in columns() if c.kind == TEXT)
CELLS = ["京A12345", "  张三  ", "", "   ", "'=1+1", "'plain", "=SUM(A1)", "０１", 12, 12.0, 1.5, True, False,
         None, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4)]


def general(value):
    """The conversion before the fast path, for a text column."""
    if isinstance(value, str):
        value = unescape(value.strip())
    if value is None or value == "":
        return MISSING
    return _text(value)


def test_text_cells_convert_as_before():
    for value in CELLS:
        assert to_payload_value(TEXT_COLUMN, value) == general(value), value


def test_every_column_kind_keeps_blanks_out_of_the_payload():
    layout = list(columns())
    payload = payload_of(layout, ["  "] * len(layout))
    assert payload == {"buyer": {}, "seller": {}, "vehicle": {}, "deal": {}}
    payload = payload_of(layout, ["'=1+1"] + [None] * (len(layout) - 1))
    section, name = layout[0].path.split(".", 1)
    assert payload[section][name] == "=1+1"
