"""Streams the rows of an inspected workbook with flat memory.

The sheet XML is decompressed incrementally from a :class:`~.safety.guarded` stream (no DTD, hence
no entities) and read in two ways at once, both at C speed:

- expat (no handlers) checks that the whole part is well-formed XML, as the full parser would;
- regular expressions take the rows of ``<sheetData>`` apart where they are written in the plain form
  spreadsheet writers use (``<c r="B2" s="1" t="n"><v>…</v></c>``, inline ``<is><t>…</t></is>`` strings).
  A row in any other form (formulas, rich text, entities, prefixes…) is parsed by ElementTree on its own,
  and a sheet whose ``<sheetData>`` is not a plain list of rows (comments, processing instructions, a
  prefixed or redefined namespace) is read again, from its start, by the element reader (``_rows``:
  the C ``XMLPullParser``, each ``<row>`` dropped from the tree once turned into values), which is what
  the plain path has been proven equal to (tests/unit/test_excel_reader.py).

Memory holds a chunk of the part, one row and the shared-strings table (kept compact: UTF-8 bytes and
offsets, ~25 bytes a string). Formula cells are returned as their formula text (``"=SUM(A1)"``), never
as a computed value: what the file says is what gets validated and stored, as text.
"""
from __future__ import annotations

import itertools
import re
import zipfile
from array import array
from collections.abc import Iterator
from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.etree.ElementTree import XML, ParseError, XMLPullParser
from xml.parsers import expat

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

# The plain form of a sheet, read by regular expressions (anything else goes to ElementTree).
FAST_CHUNK = 256 * 1024
MAX_PRELUDE = 4 * 1024 * 1024  # text before <sheetData> (columns, views...): more is read by the element reader
MAIN_URI = NS_MAIN[1:-1]
PRELUDE = re.compile(r'\A\ufeff?\s*(?:<\?xml\s[^<>?]*\?>\s*)?(<worksheet\b[^<>]*>)')
DEFAULT_NS = re.compile(r'\sxmlns\s*=\s*"([^"]*)"')
SHEET_DATA = re.compile(r"<sheetData\s*(/?)>")
ATTRS = r"""((?:\s+[^\s=/<>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*"""
ROW_START = re.compile(rf"\s*<row{ATTRS}(/?)>")
ATTR = re.compile(r"""\s+([^\s=/<>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_CELL = (r'<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?\s*'
         r'(?:(/)>|>(?:(<v>)([^<&\r]*)</v>|(<is>)<t(?: xml:space="preserve")?>([^<&\r]*)</t></is>)?</c>)')
CELL_XML = re.compile(_CELL)


def _only_cells(content: str, cells: list) -> bool:
    """Whether every tag of the row belongs to one of the cells found: its ``<`` are exactly theirs (``<c …/>`` has
    one, ``<c …></c>`` two, a ``<v>`` two more, ``<is><t>`` four), counted from the matches' groups (one scan
    of the row instead of five). Text between cells is what ElementTree calls a tail, ignored by ``_cells`` too."""
    if not cells:
        return "<" not in content
    _, _, _, closed, values, _, strings, _ = zip(*cells)
    count = len(cells)
    expected = 2 * count - (count - closed.count("")) + 2 * (count - values.count("")) + 4 * (count - strings.count(""))
    return content.count("<") == expected


MISSING = object()
MAX_DATE_SERIALS = 50_000


class _NotPlain(Exception):
    """The sheet is not in the plain form: the element reader reads it instead."""


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
                self.date_serials: dict[str, Any] = {}
                done = 0
                try:
                    with archive.open(self.parts.sheet) as stream:
                        for row in self._plain_rows(stream):
                            done += 1
                            yield row
                except _NotPlain:
                    with archive.open(self.parts.sheet) as stream:
                        yield from itertools.islice(self._rows(stream), done, None)
        except DefusedXmlException:
            raise unsafe() from None
        except (ParseError, expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError, IndexError, OverflowError, OSError):
            raise corrupt() from None

    def _plain_rows(self, stream) -> Iterator[Row]:
        """The rows of a plain sheet, or _NotPlain before the first row that is not (see the module doc)."""
        checker = expat.ParserCreate(namespace_separator="}")
        stream = guarded(stream)
        tail, text, root, inside, last = b"", "", "", None, 0
        while True:
            chunk = stream.read(FAST_CHUNK)
            checker.Parse(chunk, not chunk)  # the whole part well-formed, as for the element reader
            if inside is False:  # past </sheetData>: only checked
                if not chunk:
                    return
                continue
            data = tail + chunk
            cut = data.rfind(b">") + 1 if chunk else len(data)  # never inside a UTF-8 sequence
            text += data[:cut].decode()
            tail = data[cut:]
            if inside is None:  # before <sheetData>
                found = SHEET_DATA.search(text)
                if found is None:
                    if not chunk:
                        self._plain_root(text)  # a sheetData of another prefix is read by the element reader
                        return  # no sheetData: no rows
                    if len(text) > MAX_PRELUDE:
                        raise _NotPlain
                    continue
                root = self._plain_root(text[:found.start()])
                if found.group(1):  # <sheetData/>
                    inside = False
                    continue
                text, inside = text[found.end():], True
            end = text.find("</sheetData")
            if end >= 0:
                region, text, inside = text[:end], "", False
            elif chunk:
                cut = text.rfind("</row>") + 6 if "</row>" in text else 0
                region, text = text[:cut], text[cut:]
            else:
                raise _NotPlain  # the part ended inside sheetData (expat has said so already)
            if "<!" in region or "<?" in region or "xmlns" in region:  # comments, CDATA, PIs, namespaces
                raise _NotPlain
            pos = 0
            rows = []
            while found := ROW_START.match(region, pos):
                start = pos
                attrs, closed, pos = found.group(1), found.group(2), found.end()
                if closed:
                    content = ""
                else:
                    end = region.find("</row>", pos)
                    if end < 0:
                        raise _NotPlain  # </row > or the like
                    content, pos = region[pos:end], end + 6
                if "&" in attrs:
                    number, values = self._row_alone(root, region[start:pos], last)
                else:
                    written = next((a or b for name, a, b in ATTR.findall(attrs) if name == "r"), None) if attrs else None
                    number = int(written or last + 1)
                    cells = CELL_XML.findall(content) if content else []
                    if _only_cells(content, cells):
                        values = self._plain_cells(cells)
                    else:
                        number, values = self._row_alone(root, region[start:pos], last)
                last = number
                while values and values[-1] is None:
                    values.pop()
                rows.append((number, values))
            if region[pos:].strip():
                raise _NotPlain  # something besides rows in sheetData
            yield from rows

    @staticmethod
    def _plain_root(prelude: str) -> str:
        """The root's start tag (for parsing a row alone), if the prelude is plain."""
        found = PRELUDE.match(prelude)
        if found is None or "<!" in prelude or "<?" in prelude[found.end():]:
            raise _NotPlain
        default = DEFAULT_NS.search(found.group(1))
        if default is None or default.group(1) != MAIN_URI:
            raise _NotPlain
        return found.group(1)

    def _row_alone(self, root: str, row: str, last: int) -> Row:
        """A row not in the plain form, parsed by ElementTree with the root's namespaces."""
        try:
            wrapper = XML(f"{root}{row}</worksheet>")
        except ParseError:
            raise _NotPlain from None
        if len(wrapper) != 1 or wrapper[0].tag != ROW or any(cell.tag == ROW for cell in wrapper[0]):
            raise _NotPlain
        element = wrapper[0]
        return int(element.get("r") or last + 1), self._cells(element)

    def _plain_cells(self, cells: list[tuple[str, ...]]) -> list[Any]:
        """``_cells`` of a plain row's cells (see CELL_XML), value for value."""
        values: list[Any] = []
        columns = self.columns
        for letters, style, kind, _, has_v, text, has_is, inline in cells:
            index = columns.get(letters)
            if index is None:
                index = columns.setdefault(letters, column_index(letters))
            count = len(values)
            if index < count or index > MAX_COLUMN:
                raise ValueError("cell out of order")
            if index > count:
                values.extend([None] * (index - count))
            if has_is:  # <is><t>: a string only in an inlineStr cell
                values.append(inline if kind == "inlineStr" else None)
            elif not has_v or not text:  # no value, or <v></v>
                values.append(None)
            elif kind == "s":
                values.append(self.strings[int(text)])
            elif not kind or kind == "n":
                values.append(self._number(text, style or None))
            elif kind == "inlineStr":
                values.append(None)
            elif kind == "b":
                values.append(text.strip() in ("1", "true"))
            elif kind == "d":
                values.append(_as_date(datetime.fromisoformat(text)))
            else:
                values.append(text)  # "str" (a formula's cached text) and "e" (an error such as #N/A)
        return values

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
        if style is not None:
            is_date = self.date_style.get(style)
            if is_date is None:
                is_date = self.date_style[style] = int(style) in self.dates
            if is_date:  # a sheet has few distinct dates: each converted once (dates are immutable)
                value = self.date_serials.get(text, MISSING)
                if value is MISSING:
                    if len(self.date_serials) >= MAX_DATE_SERIALS:
                        self.date_serials.clear()
                    value = self.date_serials[text] = _as_date(from_excel(_number(text), self.epoch))
                return value
        return _number(text)

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
