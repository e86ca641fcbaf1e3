"""A sheet's rows read and converted in a child process, for an import that checks them meanwhile.

:class:`PayloadReader` runs the reader and the cell conversion (``payload_of``) in a child process that
sends the rows' payloads over a pipe (its buffer bounds what is in flight), while the importing process
checks them; the same code runs on either side, so the payloads are the ones the importing process would
have made (tests/unit/test_excel_reader.py). The child comes from a fork server that preloads this module
only: the excel layer and pydantic, no web framework and no database driver (the server and its child
share those pages: 40 MiB less than preloading the import's use case module).
"""
from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

from autocirc_shared.errors import AppError

from .convert import payload_of
from .rows import UploadedSheet

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
