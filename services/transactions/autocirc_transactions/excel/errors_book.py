"""The errors workbook of a failed import: the uploaded rows as they were, at the same row
numbers, each bad cell filled red with its messages as a comment, and a 错误说明 column.
Fixed in place, the workbook can be uploaded again (the extra column is ignored)."""
from __future__ import annotations

from collections import defaultdict
from typing import IO

from autocirc_shared.spreadsheet import safe_cell
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from .limits import ImportLimits
from .rows import UploadedSheet
from .writing import data_cell, save_temp, styled_header, write_only_sheet

ERROR_HEADER = "错误说明"
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
MAX_GAP = 1000  # blank rows written to keep row numbers; a wider gap is closed up
AUTHOR = "autocirc"


def _by_row(errors: list[dict]) -> dict[int, dict[str | None, list[str]]]:
    """row → cell letter (None: not tied to a cell) → messages."""
    marks: dict[int, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.get("row") is not None:
            cell = error.get("cell")
            letter = cell.rstrip("0123456789") if cell else None
            marks[error["row"]][letter].append(error["message"])
    return marks


def build_errors_book(data: bytes, errors: list[dict], limits: ImportLimits) -> IO[bytes]:
    """Written row by row (write-only); returns a rewound temporary file."""
    header, layout, rows = UploadedSheet.check(data, limits).open()
    width, marks = len(header), _by_row(errors)
    wb, ws = write_only_sheet()
    ws.column_dimensions[get_column_letter(width + 1)].width = 60
    ws.append(styled_header(ws, [safe_cell(v) for v in header] + [ERROR_HEADER], layout + [None]))
    last = 1
    for number, values in rows:
        gap = number - last - 1
        for _ in range(gap if 0 < gap <= MAX_GAP else 0):
            ws.append([])
        last = number
        ws.append(_marked_row(ws, values, width, marks.get(number, {})))
    return save_temp(wb)


def _marked_row(ws, values: list, width: int, marks: dict[str | None, list[str]]) -> list:
    cells = [data_cell(ws, safe_cell(v)) for v in values[:width]] + [None] * (width - len(values))
    for letter, messages in marks.items():
        index = column_index_from_string(letter) - 1 if letter else width
        if index >= width:
            continue
        cell = WriteOnlyCell(ws, value=safe_cell(values[index]) if index < len(values) else None)
        cell.fill, cell.font = ERROR_FILL, ERROR_FONT
        cell.comment = Comment("\n".join(messages), AUTHOR, width=300, height=120)
        cells[index] = cell
    note = "；".join(m for messages in marks.values() for m in messages)
    if note:
        summary = WriteOnlyCell(ws, value=safe_cell(note))
        summary.font = ERROR_FONT
        cells.append(summary)
    return cells
