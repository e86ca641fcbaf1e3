"""A large import's rows read and checked in two child processes while the importing process stores them.

The reader (:func:`~..excel.reader_process.read_rows`: the sheet's rows as cell values) sends batches to
the checker (:func:`_check_rows`: the values converted, ``check_transaction``, the store's tuples), which
sends them on here: this process, whose one interpreter lock also serves the event loop that copies the rows in, only
stores. With the checking in this process too, it was the import's bottleneck (its lock busy all the time
while a core stood idle a fifth of the time); see the README's import figures.

Both children come from a fork server that preloads this module only (the excel layer, the domain rules
and pydantic; no web framework, no database driver: tests/unit/test_import_pipeline.py), get what they need
as arguments, and die with this object (:meth:`CheckedStream.close`), with this process (daemons; a broken
pipe ends them if it is killed) or when they are done.
"""
from __future__ import annotations

import contextlib
import multiprocessing
from dataclasses import dataclass

from autocirc_shared.errors import AppError
from autocirc_shared.memory import status_mib

from ..excel.reader_process import read_rows
from ..excel.rows import UploadedSheet
from .import_rows import ChunkResult, RowChecker, check_chunk

try:
    import fcntl
except ImportError:  # not on Windows (nor is the fork server: small files only there)
    fcntl = None  # type: ignore[assignment]

PIPE_BYTES = 1 << 20


@dataclass
class ChildStats:
    runs: int = 0  # sheets the child processes read to their end in this process
    last_peaks: tuple[float, float] = (0.0, 0.0)  # the last run's (reader, checker) peak memory in MiB: for the bench


CHILD_STATS = ChildStats()


def _check_rows(checker: RowChecker, source, out) -> None:
    """The checker process: each batch from the reader as ``("rows", count, errors, checked)``, the valid rows
    as the store's tuples until the first bad one (after it, only errors: nothing will be stored); the
    reader's other messages passed on, its ``("end", peak)`` with this process's peak added."""
    keep = True
    try:
        while isinstance(message := source.recv(), list):
            chunk = check_chunk(checker, iter(message), len(message), keep)
            keep = keep and not chunk.errors
            out.send(("rows", chunk.rows, chunk.errors, chunk.checked))
        out.send((*message, status_mib("VmHWM") or 0.0) if message[0] == "end" else message)
    except EOFError:
        out.send(("crash", "the import reader process ended without a word"))
    except (BrokenPipeError, KeyboardInterrupt):  # the importing process has gone (or stops it)
        pass
    except Exception as exc:  # noqa: BLE001 - told to the importing process, which retries the job
        out.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()
        source.close()


def child_context():
    """The fork server's context, this module preloaded in the server (and not ``__main__``)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def warm_children() -> None:
    """Starts the fork server (and its imports) ahead of the first import, e.g. while an upload is checked."""
    from multiprocessing import forkserver

    child_context()
    forkserver.ensure_running()


def _pipe(context):
    """A one-way pipe with room for a few batches (1 MiB where Linux allows, not its 64 KiB: a batch of
    payloads is ~300 KB, and with less room each stage waited for the next one to take the whole batch)."""
    receiving, sending = context.Pipe(duplex=False)
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no F_SETPIPE_SZ outside Linux
        fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[union-attr]
    return receiving, sending


class CheckedStream:
    """A sheet's rows checked in child processes, taken a chunk at a time with :meth:`next_chunk`."""

    def __init__(self, sheet: UploadedSheet, checker: RowChecker) -> None:
        context = child_context()
        source, reader_end = _pipe(context)
        self.connection, checker_end = _pipe(context)
        self.processes = [
            context.Process(target=read_rows, args=(sheet, reader_end), daemon=True, name="import-reader"),
            context.Process(target=_check_rows, args=(checker, source, checker_end), daemon=True,
                            name="import-checker")]
        for process in self.processes:
            process.start()
        for end in (reader_end, source, checker_end):  # the children's ends: theirs alone now
            end.close()

    def next_chunk(self, limit: int, keep: bool = True) -> ChunkResult:
        """What :func:`~.import_rows.check_chunk` gives for the next rows, whole batches of them: at least
        ``limit`` rows unless the sheet ends (runs in a worker thread: it waits on the checker)."""
        count, errors, checked = 0, [], []
        while count < limit:
            try:
                message = self.connection.recv()
            except EOFError:
                raise RuntimeError("the import checker process ended without a word") from None
            if message[0] == "rows":
                count += message[1]
                errors += message[2]
                checked += message[3]
                continue
            if message[0] == "end":
                CHILD_STATS.runs += 1
                CHILD_STATS.last_peaks = (message[1], message[2])
                return ChunkResult(count, errors, True, [] if errors or not keep else checked)
            if message[0] == "error":
                raise AppError(message[1], message[2], message[3])
            raise RuntimeError(f"an import child process failed: {message[1]}")
        return ChunkResult(count, errors, False, [] if errors or not keep else checked)

    def close(self) -> None:
        self.connection.close()
        for process in self.processes:
            if process.is_alive():
                process.kill()
        for process in self.processes:
            process.join(5)
