"""Imported rows checked with the single-entry rules (``check_transaction``), a chunk at a time.

Valid records come back as the store's tuples (:func:`~.checked_rows.checked_row`), so nothing is parsed or
validated again: on PostgreSQL they are copied in as they come (``ChunkStore``), on SQLite spilled to a
temporary file (pickled a chunk at a time: the file is this process's own) for the store pass; either way
memory stays flat. A small workbook is checked here, in a worker thread (:func:`check_chunk`); a large one
in child processes (:mod:`.import_pipeline`), with the same :func:`check_chunk`. No database here.
"""
from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from autocirc_shared.errors import FieldError

from ..domain.checks import check_transaction
from ..domain.schemas import TransactionIn
from ..excel.columns import Column, column_for_field
from ..excel.convert import payload_of
from ..excel.reader import Row
from ..excel.rows import letters_of
from .checked_rows import CheckedRow, checked_row


@dataclass
class RowChecker:
    layout: list[Column | None]
    today: date
    letters: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.letters = letters_of(self.layout)

    def check(self, number: int, values: list[Any]) -> tuple[TransactionIn | None, list[dict[str, Any]]]:
        record, errors = check_transaction(payload_of(self.layout, values), today=self.today)
        return record, [self.cell_error(number, error) for error in errors]

    def cell_error(self, row: int, error: FieldError) -> dict[str, Any]:
        """``{"row","column","cell","field","code","message"}``; ``column`` is the Chinese header."""
        column = column_for_field(error.field)
        letter = self.letters.get(column.path) if column else None
        return {"row": row, "column": column.header if column else None, "cell": f"{letter}{row}" if letter else None,
                "field": error.field, "code": error.code, "message": error.message}


@dataclass
class ChunkResult:
    rows: int
    errors: list[dict[str, Any]]
    done: bool
    checked: list[CheckedRow]  # the valid rows as the store takes them (none once a row of the file is bad)


def check_chunk(checker: RowChecker, rows: Iterator[Row], limit: int, keep: bool = True) -> ChunkResult:
    """Checks up to ``limit`` rows; keeps the valid ones as tuples while ``keep`` (the import has not failed)
    and the chunk has no bad row."""
    count = 0
    errors: list[dict[str, Any]] = []
    checked: list[CheckedRow] = []
    for number, values in itertools.islice(rows, limit):
        count += 1
        record, problems = checker.check(number, values)
        if problems:
            errors += problems
        elif keep:
            assert record is not None  # no problems: it parsed
            checked.append(checked_row(record))
    return ChunkResult(count, errors, count < limit, [] if errors else checked)


def spill_rows(spill: IO[bytes], checked: list[CheckedRow]) -> None:
    """Writes checked rows to the spill file (runs in a worker thread), for :func:`spilled_rows`."""
    pickle.dump(checked, spill, protocol=pickle.HIGHEST_PROTOCOL)


def spilled_rows(spill: IO[bytes]) -> Iterator[CheckedRow]:
    """The checked rows written by :func:`spill_rows`, in order."""
    while True:
        try:
            chunk = pickle.load(spill)
        except EOFError:
            return
        yield from chunk


def read_spilled(rows: Iterator[CheckedRow], limit: int) -> list[CheckedRow]:
    """The next ``limit`` of ``rows`` (runs in a worker thread: reading the file is I/O)."""
    return list(itertools.islice(rows, limit))
