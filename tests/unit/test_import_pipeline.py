"""A large import's child processes (reader, then checker) give what checking in the importing process gives:
the same checked rows, the same errors, the same refusal of a corrupt file; and they load no web framework."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from autocirc_shared.errors import AppError
from autocirc_transactions.excel.columns import headers
from autocirc_transactions.excel.limits import ImportLimits
from autocirc_transactions.excel.rows import UploadedSheet
from autocirc_transactions.usecases.import_pipeline import CHILD_STATS, CheckedStream
from autocirc_transactions.usecases.import_rows import ChunkResult, RowChecker, check_chunk

from tests.integration.test_transactions_excel import record, workbook
from tests.unit.test_excel_reader import book, letters

TODAY = date(2025, 6, 30)


def _all_chunks(next_chunk, limit: int = 500) -> ChunkResult:
    """Every chunk until the sheet ends, joined, keeping as the import worker does (not after a bad row)."""
    total = ChunkResult(0, [], True, [])
    while True:
        chunk = next_chunk(limit, not total.errors)
        total.rows += chunk.rows
        total.errors += chunk.errors
        if not total.errors:
            total.checked += chunk.checked
        if chunk.done:
            return total


def _both(data: bytes) -> tuple[ChunkResult, ChunkResult]:
    sheet = UploadedSheet.check(data, ImportLimits())
    _, layout, rows = sheet.open()
    checker = RowChecker(layout, TODAY)
    here = _all_chunks(lambda limit, keep: check_chunk(checker, rows, limit, keep))
    stream = CheckedStream(sheet, checker)
    try:
        there = _all_chunks(stream.next_chunk)
    finally:
        stream.close()
    return here, there


def test_the_child_processes_check_the_rows_as_this_process_does():
    here, there = _both(workbook([record(i) for i in range(900)]))
    assert there.rows == here.rows == 900 and not there.errors
    assert there.checked == here.checked and len(there.checked) == 900  # the tuples the store takes, JSON and all
    reader_peak, checker_peak = CHILD_STATS.last_peaks
    assert reader_peak > 0 and checker_peak > 0


def test_the_child_processes_report_the_bad_rows_as_this_process_does_and_keep_nothing():
    data = workbook([record(i) for i in range(700)], patch={3: {"车价合计（小写，元）": "abc"}, 650: {"车架号/车辆识别代码": ""}})
    here, there = _both(data)
    assert there.rows == here.rows == 700
    assert there.errors == here.errors and [e["row"] for e in there.errors] == [5, 652]
    assert there.checked == here.checked == []


def test_the_child_processes_tell_a_corrupt_file_as_the_reader_does():
    rows = [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, 3000)] + ['<row r="3000"><c r="A3000">']
    data = book(['<row r="1">' + "".join(f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
                                         for letter, name in zip(letters(), headers())) + "</row>", *rows])
    sheet = UploadedSheet.check(data, ImportLimits())
    stream = CheckedStream(sheet, RowChecker(sheet.open()[1], TODAY))
    try:
        with pytest.raises(AppError) as caught:
            _all_chunks(stream.next_chunk)
    finally:
        stream.close()
    assert caught.value.code == "import.corrupt"
    assert not any(process.is_alive() for process in stream.processes)


def test_a_checker_that_dies_is_an_error_not_an_end():
    sheet = UploadedSheet.check(workbook([record(i) for i in range(900)]), ImportLimits())
    stream = CheckedStream(sheet, RowChecker(sheet.open()[1], TODAY))
    try:
        first = stream.next_chunk(200)
        stream.processes[1].kill()
        stream.processes[1].join(5)
        with pytest.raises(RuntimeError, match="checker process ended"):
            _all_chunks(stream.next_chunk)
    finally:
        stream.close()
    assert first.rows == 200 and not first.done


def test_the_child_processes_module_loads_no_web_framework_and_no_database_driver():
    """The fork server preloads the pipeline's module: with FastAPI, SQLAlchemy and asyncpg it held ~95 MiB
    where the reader's alone held ~50 (the whole import's peak with the reader on: 294 → 235 MiB at 100,000 rows)."""
    code = ("import sys, autocirc_transactions.usecases.import_pipeline; "
            "print(sorted(m for m in ('fastapi', 'starlette', 'sqlalchemy', 'asyncpg', 'aio_pika') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
