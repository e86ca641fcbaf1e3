"""Imported rows checked with the single-entry rules (``check_transaction``), a chunk at a time.

Runs in a worker thread. Valid records are spilled to a temporary file as the store's tuples
(:func:`~.bulk_store.checked_row`, pickled a chunk at a time: the file is this process's own), so
the store pass reads them back without parsing the workbook or validating anything again, and
memory stays flat.

A large workbook is read on the second core (:class:`~..excel.payload_reader.PayloadReader`) while this
process checks the payloads it sends.
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
from .bulk_store import CheckedRow, checked_row, sale_key


@dataclass
class RowChecker:
    layout: list[Column | None]
    today: date
    letters: dict[str, str] = field(init=False)
    vins: set[str] = field(default_factory=set)  # of the valid rows, for the plausibility warnings
    repeated_vins: set[str] = field(default_factory=set)  # VINs on more than one valid row

    def __post_init__(self) -> None:
        self.letters = letters_of(self.layout)

    def check(self, number: int, values: list[Any]) -> tuple[TransactionIn | None, list[dict[str, Any]]]:
        return self.check_payload(number, payload_of(self.layout, values))

    def check_payload(self, number: int, payload: dict) -> tuple[TransactionIn | None, list[dict[str, Any]]]:
        record, errors = check_transaction(payload, today=self.today)
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


def check_chunk(checker: RowChecker, rows: Iterator[Row] | Iterator[tuple[int, dict]], limit: int,
                spill: IO[bytes] | None, *, payloads: bool = False) -> ChunkResult:
    """Checks up to ``limit`` rows (cell values, or with ``payloads`` what :class:`PayloadReader` gives);
    writes the valid ones to ``spill`` (None once the import has failed)."""
    count = 0
    errors: list[dict[str, Any]] = []
    checked: list[CheckedRow] = []
    check = checker.check_payload if payloads else checker.check
    for number, values in itertools.islice(rows, limit):
        count += 1
        record, problems = check(number, values)  # type: ignore[arg-type]  # values or payload, as ``check`` takes
        if problems:
            errors += problems
        elif spill is not None:
            assert record is not None  # no problems: it parsed
            row = checked_row(record)
            checked.append(row)
            vin = sale_key(row)[0]
            if vin in checker.vins:
                checker.repeated_vins.add(vin)
            else:
                checker.vins.add(vin)
    if checked and spill is not None and not errors:
        pickle.dump(checked, spill, protocol=pickle.HIGHEST_PROTOCOL)
    return ChunkResult(count, errors, count < limit)


def spilled_rows(spill: IO[bytes]) -> Iterator[CheckedRow]:
    """The checked rows written by :func:`check_chunk`, in order."""
    while True:
        try:
            chunk = pickle.load(spill)
        except EOFError:
            return
        yield from chunk


def read_spilled(rows: Iterator[CheckedRow], limit: int) -> list[CheckedRow]:
    """The next ``limit`` of ``rows`` (runs in a worker thread: reading the file is I/O)."""
    return list(itertools.islice(rows, limit))
