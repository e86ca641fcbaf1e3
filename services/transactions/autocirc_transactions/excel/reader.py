"""Streams the rows of an inspected workbook with flat memory.

The sheet XML is decompressed and parsed incrementally (the C ``XMLPullParser`` fed from a
:class:`~.safety.guarded` stream: no DTD, hence no entities); each ``<row>`` is turned into
Python values and dropped from the tree at once, so memory holds one row plus the
shared-strings table (kept compact: UTF-8 bytes and offsets, ~25 bytes a string) and an empty element
per row passed (~70 bytes).
Formula cells are returned as their formula text (``"=SUM(A1)"``), never as a computed value:
what the file says is what gets validated and stored, as text.
"""
from __future__ import annotations

import zipfile
from array import array
from collections.abc import Iterator
from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from defusedxml import DefusedXmlException
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .safety import NS_MAIN, WorkbookParts, corrupt, guarded, parse_xml, unsafe

ROW, CELL, VALUE, FORMULA = (f"{NS_MAIN}{t}" for t in ("row", "c", "v", "f"))
TEXT, INLINE, RUN_PHONETIC = (f"{NS_MAIN}{t}" for t in ("t", "is", "rPh"))
SI = f"{NS_MAIN}si"
CHUNK = 8 * 1024  # measured: small feeds keep the parser in cache (2x faster than 64 KiB)
MAX_COLUMN = 16383
# Built-in number formats that are dates, including the CJK locale ones (27-36, 50-58).
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}

Row = tuple[int, list[Any]]  # (1-based row number as Excel shows it, cell values)


def _text_of(element) -> str:
    """Text of a shared or inline string, rich-text runs joined, phonetic hints left out."""
    plain = element.find(TEXT)
    if plain is not None:
        return plain.text or ""
    return "".join(t.text or "" for r in element if r.tag != RUN_PHONETIC for t in r.iter(TEXT))


class SharedStrings:
    """The shared-strings table as one UTF-8 buffer and an offsets array."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ends = array("Q")

    def append(self, text: str) -> None:
        self.buffer += text.encode()
        self.ends.append(len(self.buffer))

    def __getitem__(self, index: int) -> str:
        start = self.ends[index - 1] if index else 0
        return self.buffer[start:self.ends[index]].decode()

    @classmethod
    def load(cls, archive: zipfile.ZipFile, part: str | None) -> SharedStrings:
        table = cls()
        if part is not None:
            with archive.open(part) as stream:
                for element in _children_of(stream, SI):
                    table.append(_text_of(element))
        return table


def _children_of(stream, tag: str) -> Iterator:
    """Each finished ``tag`` element of a part, emptied once used.

    Only end events are asked for (a third less parsing time than start and end): what stays of a used
    element is an empty one in its parent's list (~70 bytes), so memory stays nearly flat."""
    parser = XMLPullParser(events=("end",))
    stream = guarded(stream)
    while chunk := stream.read(CHUNK):
        parser.feed(chunk)
        for _, element in parser.read_events():
            if element.tag == tag:
                yield element
                element.clear()  # drop what was used: its children, text and attributes
    parser.close()


def _date_styles(archive: zipfile.ZipFile, part: str | None) -> set[int]:
    """Indexes of cell formats (``s`` attribute) that show numbers as dates."""
    if part is None:
        return set()
    root = parse_xml(archive, part)
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{NS_MAIN}numFmt")}
    xfs = root.find(f"{NS_MAIN}cellXfs")
    dates = set()
    for index, xf in enumerate(() if xfs is None else xfs.iter(f"{NS_MAIN}xf")):
        fmt = int(xf.get("numFmtId", "0"))
        code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
        if fmt in DATE_FORMAT_IDS or (code and is_date_format(code)):
            dates.add(index)
    return dates


def column_index(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12``."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


class SheetReader:
    """Iterates ``(row_number, values)``; values are str, int, float, bool, date, datetime or None."""

    def __init__(self, data: bytes, parts: WorkbookParts) -> None:
        self.data = data
        self.parts = parts

    def __iter__(self) -> Iterator[Row]:
        try:
            with zipfile.ZipFile(BytesIO(self.data)) as archive:
                self.strings = SharedStrings.load(archive, self.parts.shared_strings)
                self.dates = _date_styles(archive, self.parts.styles)
                self.date_style: dict[str, bool] = {}  # the s attribute as written → whether it shows a date
                self.epoch = CALENDAR_MAC_1904 if self.parts.date1904 else CALENDAR_WINDOWS_1900
                self.shared_formulas: dict[str, str] = {}
                self.columns: dict[str, int] = {}
                with archive.open(self.parts.sheet) as stream:
                    yield from self._rows(stream)
        except DefusedXmlException:
            raise unsafe() from None
        except (ParseError, zipfile.BadZipFile, EOFError, ValueError, IndexError, OverflowError, OSError):
            raise corrupt() from None

    def _rows(self, stream) -> Iterator[Row]:
        last = 0
        for element in _children_of(stream, ROW):
            number = int(element.get("r") or last + 1)
            last = number
            values = self._cells(element)
            while values and values[-1] is None:
                values.pop()
            yield number, values

    def _cells(self, row) -> list[Any]:
        values: list[Any] = []
        columns = self.columns
        for cell in row:
            if cell.tag != CELL:
                continue
            ref = cell.get("r")
            if ref is None:
                index = len(values)
            else:
                letters = ref.rstrip("0123456789")
                index = columns.get(letters)
                if index is None:
                    index = columns.setdefault(letters, column_index(letters))
            if index < len(values) or index > MAX_COLUMN:
                raise ValueError("cell out of order")
            if index > len(values):
                values.extend([None] * (index - len(values)))
            values.append(self._value(cell))
        return values

    def _value(self, cell) -> Any:
        kind = cell.get("t")
        if len(cell) == 1:
            child = cell[0]
            if kind in (None, "s", "n"):  # the common case: only <v>
                text = child.text
                if text is None or child.tag != VALUE:
                    return None
                if kind == "s":
                    return self.strings[int(text)]
                return self._number(text, cell.get("s"))
            if kind == "inlineStr" and child.tag == INLINE and len(child) == 1 and child[0].tag == TEXT:
                return child[0].text or ""  # the other common case: <is><t>text</t></is>
        formula = cell.find(FORMULA)
        if formula is not None:
            return self._formula_text(formula)
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            return None if inline is None else _text_of(inline)
        v = cell.find(VALUE)
        if v is None or v.text is None:
            return None
        text = v.text
        if kind == "s":
            return self.strings[int(text)]
        if kind in (None, "n"):
            return self._number(text, cell.get("s"))
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return _as_date(datetime.fromisoformat(text))
        return text  # "str" (a formula's cached text) and "e" (an error such as #N/A)

    def _number(self, text: str, style: str | None) -> Any:
        number = _number(text)
        if style is not None:
            is_date = self.date_style.get(style)
            if is_date is None:
                is_date = self.date_style[style] = int(style) in self.dates
            if is_date:
                return _as_date(from_excel(number, self.epoch))
        return number

    def _formula_text(self, formula) -> str:
        text = formula.text
        index = formula.get("si")
        if formula.get("t") == "shared" and index is not None:
            if text:
                self.shared_formulas[index] = text
            text = text or self.shared_formulas.get(index, "")
        return "=" + (text or "")


def _as_date(value: datetime | date | None) -> datetime | date | None:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value
