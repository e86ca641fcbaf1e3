"""Imported rows checked with the single-entry rules (``check_transaction``), a chunk at a time.

Runs in a worker thread. Valid records are spilled to a temporary file as JSON lines, so the
store pass reads them back without parsing the workbook again and memory stays flat.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from autocirc_shared.errors import FieldError

from ..excel.columns import Column, column_for_field
from ..excel.convert import payload_of
from ..excel.reader import Row
from ..excel.rows import letters_of
from .checks import check_transaction
from .schemas import TransactionIn


@dataclass
class RowChecker:
    layout: list[Column | None]
    today: date
    letters: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.letters = letters_of(self.layout)

    def check(self, number: int, values: list) -> tuple[TransactionIn | None, list[dict]]:
        record, errors = check_transaction(payload_of(self.layout, values), today=self.today)
        return record, [self.cell_error(number, error) for error in errors]

    def cell_error(self, row: int, error: FieldError) -> dict:
        """``{"row","column","cell","field","code","message"}``; ``column`` is the Chinese header."""
        column = column_for_field(error.field)
        letter = self.letters.get(column.path) if column else None
        return {"row": row, "column": column.header if column else None, "cell": f"{letter}{row}" if letter else None,
                "field": error.field, "code": error.code, "message": error.message}


@dataclass
class ChunkResult:
    rows: int
    errors: list[dict]
    done: bool


def check_chunk(checker: RowChecker, rows: Iterator[Row], limit: int, spill: IO[bytes] | None) -> ChunkResult:
    """Checks up to ``limit`` rows; writes the valid ones to ``spill`` (None once the import has failed)."""
    count, errors = 0, []
    for number, values in itertools.islice(rows, limit):
        count += 1
        record, problems = checker.check(number, values)
        if problems:
            errors += problems
        elif spill is not None:
            spill.write(record.model_dump_json().encode() + b"\n")
    return ChunkResult(count, errors, count < limit)


def read_spilled(spill: IO[bytes], limit: int) -> list[TransactionIn]:
    """The next ``limit`` checked records written by :func:`check_chunk`."""
    return [TransactionIn.model_validate_json(line) for line in itertools.islice(spill, limit)]
