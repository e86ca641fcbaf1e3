"""What every workbook this service writes shares: the header row's look, write-only sheets,
dates shown as dates, and saving to a temporary file that is then streamed out in chunks."""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .columns import Column, columns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "车辆交易信息"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
STREAM_CHUNK = 256 * 1024


def header_style(cell, column: Column | None) -> None:
    cell.font = HEADER_FONT
    cell.alignment = HEADER_ALIGN
    cell.fill = REQUIRED_FILL if column is not None and column.required else OPTIONAL_FILL


def set_widths(ws, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def write_only_sheet(title: str = DATA_SHEET) -> tuple[Workbook, Any]:
    """A write-only workbook whose one sheet has the template's widths and a frozen header."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    set_widths(ws, (c.width for c in columns()))
    ws.freeze_panes = "A2"
    return wb, ws


def styled_header(ws, labels: list[str], layout: list[Column | None]) -> list[WriteOnlyCell]:
    cells = []
    for label, column in zip(labels, layout):
        cell = WriteOnlyCell(ws, value=label)
        header_style(cell, column)
        cells.append(cell)
    return cells


def data_cell(ws, value: Any) -> Any:
    """Dates get a date format; everything else is written as it is."""
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def save_temp(wb: Workbook) -> IO[bytes]:
    """The finished workbook in an anonymous temporary file, rewound (memory stays flat)."""
    out = tempfile.TemporaryFile(prefix="autocirc-xlsx-")
    wb.save(out)
    out.seek(0)
    return out


def chunks(file: IO[bytes]) -> Iterator[bytes]:
    """Reads a temporary workbook out in chunks and closes (deletes) it afterwards."""
    try:
        while chunk := file.read(STREAM_CHUNK):
            yield chunk
    finally:
        file.close()
