"""Imported rows checked with the single-entry rules (``check_transaction``), a chunk at a time.

Runs in a worker thread. Valid records are spilled to a temporary file as the store's tuples
(:func:`~.bulk_store.checked_row`, pickled a chunk at a time: the file is this process's own), so
the store pass reads them back without parsing the workbook or validating anything again, and
memory stays flat.

A large workbook is read on the second core: :class:`PayloadReader` runs the reader and the cell
conversion (``payload_of``) in a child process that sends the rows' payloads over a pipe (its buffer
bounds what is in flight), while this process checks them; the same code runs on either side, so the
payloads are the ones this process would have made (tests/unit/test_excel_reader.py).
"""
from __future__ import annotations

import itertools
import multiprocessing
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from autocirc_shared.errors import AppError, FieldError

from ..domain.checks import check_transaction
from ..domain.schemas import TransactionIn
from ..excel.columns import Column, column_for_field
from ..excel.convert import payload_of
from ..excel.reader import Row
from ..excel.rows import UploadedSheet, letters_of
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


PAYLOAD_BATCH = 200  # rows per message from the reader process
READER_PEAKS: list[float] = []  # each reader process's peak memory (MiB), for bench/bench_import.py


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _read_payloads(sheet: UploadedSheet, out) -> None:
    """The reader process: batches of ``(row number, payload)``, then ``("end", peak MiB)``; a problem with
    the file as ``("error", status, code, detail)``, anything else as ``("crash", text)``."""
    try:
        _, layout, rows = sheet.open()
        while batch := [(number, payload_of(layout, values)) for number, values in itertools.islice(rows, PAYLOAD_BATCH)]:
            out.send(batch)
        try:
            peak = _peak_mib()
        except OSError:
            peak = 0.0
        out.send(("end", peak))
    except AppError as exc:
        out.send(("error", exc.status, exc.code, exc.detail))
    except (BrokenPipeError, KeyboardInterrupt):  # the importing process has gone (or stops it): nothing to say
        pass
    except Exception as exc:  # noqa: BLE001 - told to the importing process, which retries the job
        out.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()


def reader_context():
    """The fork server's context, this module preloaded in the server (and not ``__main__``)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def warm_reader() -> None:
    """Starts the fork server (and its imports) ahead of the first reader, e.g. while an upload is checked."""
    from multiprocessing import forkserver

    reader_context()
    forkserver.ensure_running()


class PayloadReader:
    """A sheet's data rows as ``(row number, payload)``, read and converted in a child process.

    The child comes from a fork server (no fork of this process with its threads and connections, and
    this module imported once per service process rather than once per import: ~2 s of CPU), gets the
    file's bytes and parts, and dies with this object (:meth:`close`), with this process (daemon; a
    broken pipe ends it if this one is killed) or when it is done."""

    def __init__(self, sheet: UploadedSheet) -> None:
        context = reader_context()
        self.connection, child_end = context.Pipe(duplex=False)
        self.process = context.Process(target=_read_payloads, args=(sheet, child_end), daemon=True,
                                       name="import-reader")
        self.process.start()
        child_end.close()

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        while True:
            try:
                message = self.connection.recv()
            except EOFError:
                raise RuntimeError("the import reader process ended without a word") from None
            if isinstance(message, list):
                yield from message
                continue
            if message[0] == "end":
                READER_PEAKS.append(message[1])
                return
            if message[0] == "error":
                raise AppError(message[1], message[2], message[3])
            raise RuntimeError(f"the import reader process failed: {message[1]}")

    def close(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
