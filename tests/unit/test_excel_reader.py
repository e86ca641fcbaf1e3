"""The reader's plain path (regular expressions, expat checking the XML) gives exactly what the element
reader (ElementTree, the reference) gives, on every form a sheet may take; corrupt XML is refused by both."""
from __future__ import annotations

import io
import zipfile

import pytest
from autocirc_shared.errors import AppError
from autocirc_transactions.excel import reader as reader_module
from autocirc_transactions.excel.columns import headers
from autocirc_transactions.excel.limits import ImportLimits
from autocirc_transactions.excel.reader import SheetReader
from autocirc_transactions.excel.rows import UploadedSheet
from autocirc_transactions.excel.safety import inspect_workbook
from autocirc_transactions.excel.template import template_bytes
from openpyxl.utils import get_column_letter

from tests.integration.test_transactions_excel import record, workbook
from tests.unit.test_excel_safety import NS, SHEET, replace_parts, sheet_xml

ROWS = {
    "plain": ['<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><c r="C1" t="n"><v>7</v></c></row>',
              '<row r="2" spans="1:5"><c r="B2" s="1" t="n"><v>45292</v></c><c r="D2"><v>1.5</v></c>'
              '<c r="E2" t="b"><v>0</v></c><c r="F2" t="e"><v>#N/A</v></c><c r="G2" t="str"><v>x</v></c></row>'],
    "empty cells and rows": ['<row r="1"><c r="A1" s="1"/><c r="B1" t="inlineStr"></c><c r="C1"><v></v></c></row>',
                             '<row r="3"/>', '<row r="4"></row>', '<row><c r="A5" t="inlineStr"><is><t/></is></c></row>'],
    "odd pairings": ['<row r="1"><c r="A1" t="s"><is><t>x</t></is></c><c r="B1" t="inlineStr"><v>3</v></c>'
                     '<c r="C1" t="d"><v>2024-03-01T00:00:00</v></c><c r="D1" t="d"><v>2024-03-01T10:30:00</v></c>'
                     '<c r="E1" t="inlineStr"><is><t xml:space="preserve"> a b </t></is></c></row>'],
    "formulas and rich text": ['<row r="1"><c r="A1"><f>SUM(B1:C1)</f><v>3</v></c>'
                               '<c r="B1" t="inlineStr"><is><r><t>乙</t></r><r><t>丙</t></r></is></c></row>',
                               '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">B2+1</f><v>1</v></c></row>',
                               '<row r="3"><c r="A3"><f t="shared" si="0"/><v>2</v></c></row>'],
    "entities": ['<row r="1"><c r="A1" t="inlineStr"><is><t>A&amp;B &lt;1&gt; &#20013;</t></is></c></row>',
                 '<row r="&#50;"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'],
    "whitespace and attribute order": ['\n  <row r="1">\n    <c r="A1" t="inlineStr"><is><t>x</t></is></c>\n  </row>',
                                       '<row r="2"><c t="n" r="A2"><v>5</v></c><c r="B2"> <v>6</v> </c></row>',
                                       "<row r='3'><c r='A3'><v>7</v></c></row>"],
    "cells without r and gaps": ['<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c>'
                                 '<c r="AA1"><v>3</v></c></row>', '<row><c r="B2"><v>1</v></c><c r="D2"/></row>'],
    "a comment and a processing instruction": ['<row r="1"><c r="A1"><v>1</v></c></row><!-- </row> -->',
                                               '<row r="2"><?pi x?><c r="A2"><v>2</v></c></row>'],
    "text and other elements in a row": ['<row r="1">text<c r="A1"><v>1</v></c>tail<extLst><c r="B1"><v>9</v></c>'
                                         '</extLst></row>', '<row r="2"><c r="A2"><v>2</v><extLst/></c></row>'],
    "CDATA": ['<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<x>]]></t></is></c></row>'],
    "carriage returns": ['<row r="1"><c r="A1" t="inlineStr"><is><t>a\r\nb\rc</t></is></c></row>'],
}


def letters():
    return (get_column_letter(i + 1) for i in range(len(headers())))


def book(rows: list[str], root: str = f"<worksheet {NS}>", end: str = "</worksheet>") -> bytes:
    xml = sheet_xml(rows).decode().replace(f"<worksheet {NS}>", root).replace("</worksheet>", end)
    return replace_parts(template_bytes(), {SHEET: xml.encode()})


def both(data: bytes) -> tuple[list, list]:
    parts = inspect_workbook(data, ImportLimits(), "车辆交易信息")
    plain = list(SheetReader(data, parts))
    element = SheetReader(data, parts)
    element._plain_rows = lambda stream: (_ for _ in ()).throw(reader_module._NotPlain())  # type: ignore[method-assign]
    return plain, list(element)


@pytest.mark.parametrize("name", ROWS)
def test_the_plain_path_reads_what_the_element_reader_reads(name):
    plain, element = both(book(ROWS[name]))
    assert plain == element and element


def test_prefixed_and_other_namespaces_are_read_alike():
    prefixed = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
                '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    excel = (f'<worksheet {NS} xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
             'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac">')
    rows = ['<row r="1" spans="1:2" x14ac:dyDescent="0.25"><c r="A1"><v>1</v></c>'
            '<c r="B1" x14ac:foo="1"><v>2</v></c></row>']
    for data in (replace_parts(template_bytes(), {SHEET: prefixed.encode()}), book(rows, root=excel)):
        plain, element = both(data)
        assert plain == element and element
    inner = ['<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>', '<row r="2"><c r="A2"><v>2</v></c></row>']
    plain, element = both(book(inner))
    assert plain == element


def test_a_generated_workbook_reads_alike_on_the_plain_path_alone():
    data = workbook([record(i) for i in range(300)])
    plain, element = both(data)
    assert plain == element and len(plain) == 301
    alone = SheetReader(data, inspect_workbook(data, ImportLimits(), "车辆交易信息"))
    alone._rows = lambda stream: (_ for _ in ()).throw(AssertionError("fell back"))  # type: ignore[method-assign]
    assert list(alone) == plain


@pytest.mark.parametrize("xml", [
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></row>',  # a cell left open
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a &nope; b</t></is></c></row>',  # an undefined entity
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>\x01</v></c></row>',  # not an XML character
    '<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>',  # cells out of order
    '<row r="1"><c r="A1" t="s"><v>5</v></c></row>',  # no such shared string
])
def test_corrupt_sheets_are_refused_by_both(xml):
    data = book([xml])
    parts = inspect_workbook(data, ImportLimits(), "车辆交易信息")
    for read in (lambda: list(SheetReader(data, parts)), lambda: both(data)):
        with pytest.raises(AppError) as caught:
            read()
        assert caught.value.code == "import.corrupt"


def test_a_truncated_part_is_refused():
    data = book(['<row r="1"><c r="A1"><v>1</v></c></row>'], end="")
    with pytest.raises(AppError) as caught:
        list(SheetReader(data, inspect_workbook(data, ImportLimits(), "车辆交易信息")))
    assert caught.value.code == "import.corrupt"


def test_a_bad_row_found_late_fails_after_the_earlier_rows():
    rows = [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 3000)] + ['<row r="3000"><c r="A3000">']
    data = book(rows)
    seen = []
    with pytest.raises(AppError):
        for row in SheetReader(data, inspect_workbook(data, ImportLimits(), "车辆交易信息")):
            seen.append(row)
    assert zipfile.is_zipfile(io.BytesIO(data)) and seen[:1] == [(1, [1])]


def test_the_job_runs_on_the_row_count_of_its_submission_only_for_the_very_bytes_submitted():
    """The worker checks the stored upload again; when its sha256 is the job's, the count made at submission
    stands (the sheet is not scanned again), any other bytes are counted afresh."""
    from autocirc_shared.blobs import content_key
    from autocirc_transactions.models.imports import ImportJob
    from autocirc_transactions.usecases.import_jobs import ImportWorker

    data = workbook([record(i) for i in range(3)])
    submitted = UploadedSheet.check(data, ImportLimits())
    assert submitted.parts.data_rows == 3
    worker = ImportWorker(runtime=None, limits=ImportLimits())
    job = ImportJob(sha256=content_key(data)[1], total_rows=2)  # the count the job carries stands for the same bytes
    assert worker._checked_again(job, data).parts.data_rows == 2
    other = workbook([record(i) for i in range(4)])
    assert worker._checked_again(job, other).parts.data_rows == 4
