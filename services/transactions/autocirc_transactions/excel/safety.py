"""Checks an uploaded workbook before anything parses it for real.

Refused at once, without decompressing more than the container's directory: anything that is
not an OOXML spreadsheet (415 ``import.type``), macro-enabled workbooks (.xlsm), uploads or
parts that are too large and zip bombs (413 ``import.too_large``). XML is parsed only through
defusedxml with DTDs forbidden, so entity expansion (billion laughs) and external entities
are refused too (422 ``import.unsafe``); large parts are streamed through the C parser
only after :func:`guarded` has checked that their prolog declares no DTD (entities can only be
declared in one), and expat itself (2.4+) bounds entity amplification as a second line. Finally the data rows are counted by streaming the
sheet's XML, so a million-row file is refused in seconds (422 ``import.too_many_rows``).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from xml.etree.ElementTree import Element, ParseError

from autocirc_shared.errors import AppError
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .limits import ImportLimits

MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPES = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml",
               "application/vnd.ms-excel.template.macroEnabled.main+xml",
               "application/vnd.ms-excel.addin.macroEnabled.main+xml")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SMALL_PART = 16 * 1024 * 1024  # workbook.xml, rels, content types, styles: parsed whole
ROW_TAG = re.compile(rb"<row[\s/>]")  # a literal start: found at memchr speed (0.74 → 0.08 s for 188 MB)
PREFIXED_ROW_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")  # <x:row>: looked for only where ":row" is
CHUNK = 1 << 20
PROLOG = 64 * 1024


def not_xlsx(detail: str = "只能导入 Excel 工作簿（.xlsx）") -> AppError:
    return AppError(415, "import.type", detail)


def too_large(detail: str) -> AppError:
    return AppError(413, "import.too_large", detail)


def corrupt(detail: str = "工作簿已损坏或格式不正确，无法读取") -> AppError:
    return AppError(422, "import.corrupt", detail)


def unsafe() -> AppError:
    return AppError(422, "import.unsafe", "工作簿包含不允许的 XML 内容（DTD/实体声明），已拒绝")


@dataclass(frozen=True)
class WorkbookParts:
    """Where the data lives inside an accepted workbook."""

    sheet: str
    shared_strings: str | None
    styles: str | None
    date1904: bool
    data_rows: int  # upper bound: every <row> after the header


def parse_xml(archive: zipfile.ZipFile, name: str) -> Element:
    """A small part, parsed whole with DTDs and entities forbidden."""
    try:
        return fromstring(archive.read(name), forbid_dtd=True)
    except DefusedXmlException:
        raise unsafe() from None
    except (ParseError, zipfile.BadZipFile, KeyError, EOFError, ValueError):
        raise corrupt() from None


def _skip_prolog(head: bytes) -> None:
    """Refuse a DTD (and with it any entity) before the root element; UTF-8/ASCII only."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        raise corrupt("工作簿的 XML 编码不受支持")
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while pos < len(head) and head[pos] in b" \t\r\n":
            pos += 1
        if head.startswith(b"<?", pos):
            end = head.find(b"?>", pos)
            if end < 0:
                break
            declaration = head[pos:end].lower()
            if b"encoding" in declaration and not re.search(rb"encoding\s*=\s*[\"'](utf-8|us-ascii)[\"']", declaration):
                raise corrupt("工作簿的 XML 编码不受支持")
            pos = end + 2
        elif head.startswith(b"<!--", pos):
            end = head.find(b"-->", pos)
            if end < 0:
                break
            pos = end + 3
        elif head.startswith(b"<!", pos):
            raise unsafe()
        else:
            return
    raise corrupt()


class guarded:
    """A part's byte stream whose prolog has been checked by :func:`_skip_prolog`."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.head = stream.read(PROLOG)
        _skip_prolog(self.head)

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.stream.read(size)


def open_archive(data: bytes, limits: ImportLimits) -> zipfile.ZipFile:
    """The zip container, its directory checked against the size limits."""
    if len(data) > limits.max_bytes:
        raise too_large(f"文件不能超过 {limits.max_bytes // (1024 * 1024)} MB")
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx()
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise not_xlsx() from None
    if len(infos) > limits.max_parts:
        raise too_large("工作簿包含的部件过多")
    if sum(i.file_size for i in infos) > limits.max_uncompressed_bytes:
        raise too_large("工作簿解压后过大（疑似压缩炸弹），已拒绝")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise too_large("工作簿压缩比异常（疑似压缩炸弹），已拒绝")
        if info.flag_bits & 0x1:
            raise not_xlsx("不支持加密的工作簿")
    return archive


def _target(base_dir: str, target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(base_dir, target)
    return posixpath.normpath(path)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId → (type, part name) for one part's relationships."""
    rels_name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    base_dir = posixpath.dirname(part)
    return {r.get("Id"): (r.get("Type", ""), _target(base_dir, r.get("Target", "")))
            for r in parse_xml(archive, rels_name).iter(f"{NS_PKG_REL}Relationship")}


def _workbook_part(archive: zipfile.ZipFile) -> str:
    if "[Content_Types].xml" not in archive.NameToInfo:
        raise not_xlsx()
    if any(name.lower().endswith("vbaproject.bin") for name in archive.NameToInfo):
        raise not_xlsx("不支持含宏的工作簿（.xlsm），请另存为 .xlsx 后再导入")
    main = None
    for override in parse_xml(archive, "[Content_Types].xml").iter(f"{NS_CT}Override"):
        ctype = override.get("ContentType", "")
        if ctype in MACRO_TYPES:
            raise not_xlsx("不支持含宏的工作簿（.xlsm），请另存为 .xlsx 后再导入")
        if ctype == MAIN_TYPE:
            main = override.get("PartName", "").lstrip("/")
    if main is None or main not in archive.NameToInfo:
        raise not_xlsx()
    for name in (main, "[Content_Types].xml"):
        if archive.getinfo(name).file_size > SMALL_PART:
            raise too_large("工作簿结构部件过大")
    return main


def _choose_sheet(archive: zipfile.ZipFile, workbook: str, preferred: str,
                  rels: dict[str, tuple[str, str]]) -> tuple[str, bool]:
    root = parse_xml(archive, workbook)
    sheets = [(s.get("name", ""), s.get(f"{NS_REL}id")) for s in root.iter(f"{NS_MAIN}sheet")]
    pr = root.find(f"{NS_MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
    if not sheets:
        raise corrupt("工作簿中没有工作表")
    _, rid = next((s for s in sheets if s[0] == preferred), sheets[0])
    part = rels.get(rid, ("", ""))[1]
    if part not in archive.NameToInfo:
        raise corrupt()
    return part, date1904


def count_rows(archive: zipfile.ZipFile, part: str) -> int:
    """Every <row> element of a sheet, streamed (C-speed scan, no XML tree)."""
    rows, tail = 0, b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                buf = tail + chunk
                cut = buf.rfind(b"<")
                cut = len(buf) if cut < 0 else cut
                rows += _row_tags(buf, cut)
                tail = buf[cut:]
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise corrupt() from None
    tail += b" "
    return rows + _row_tags(tail, len(tail))


def _row_tags(buf: bytes, end: int) -> int:
    """``<row`` start tags in ``buf[:end]``, with or without a namespace prefix (the two forms never overlap)."""
    count = len(ROW_TAG.findall(buf, 0, end))
    if buf.find(b":row", 0, end) >= 0:
        count += len(PREFIXED_ROW_TAG.findall(buf, 0, end))
    return count


def inspect_workbook(data: bytes, limits: ImportLimits, preferred_sheet: str, *,
                     data_rows: int | None = None) -> WorkbookParts:
    """Everything the reader needs, or the AppError that refuses the upload. ``data_rows``: the count of an
    earlier inspection of these very bytes, so that the sheet is not scanned for its rows again."""
    archive = open_archive(data, limits)
    with archive:
        workbook = _workbook_part(archive)
        rels = _relationships(archive, workbook)
        sheet, date1904 = _choose_sheet(archive, workbook, preferred_sheet, rels)
        by_type = {kind.rsplit("/", 1)[-1]: part for kind, part in rels.values()}
        shared = by_type.get("sharedStrings")
        styles = by_type.get("styles")
        if styles and styles in archive.NameToInfo and archive.getinfo(styles).file_size > SMALL_PART:
            raise too_large("工作簿样式部件过大")
        if data_rows is None:
            data_rows = max(count_rows(archive, sheet) - 1, 0)
    if data_rows > limits.max_rows:
        raise AppError(422, "import.too_many_rows",
                       f"一次最多导入 {limits.max_rows} 行，该文件约有 {data_rows} 行，请拆分后再导入")
    return WorkbookParts(sheet=sheet, shared_strings=shared if shared in archive.NameToInfo else None,
                         styles=styles if styles in archive.NameToInfo else None, date1904=date1904,
                         data_rows=data_rows)
