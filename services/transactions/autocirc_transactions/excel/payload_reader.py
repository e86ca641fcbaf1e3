"""The first stage of a large import: the sheet's rows read and converted to payloads in a child process.

:func:`read_payloads` runs the reader and the cell conversion (``payload_of``) and sends the rows' payloads
over a pipe (its buffer bounds what is in flight) to the checker process (:mod:`..usecases.import_pipeline`);
the same code runs in the importing process for a small file, so the payloads are the ones it would have
made (tests/unit/test_import_pipeline.py).
"""
from __future__ import annotations

import itertools
from pathlib import Path

from autocirc_shared.errors import AppError

from .convert import payload_of
from .rows import UploadedSheet

PAYLOAD_BATCH = 200  # rows per message from the reader process


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM), 0 where /proc does not tell."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def read_payloads(sheet: UploadedSheet, out) -> None:
    """The reader process: lists of ``(row number, payload)``, then ``("end", peak MiB)``; a problem with
    the file as ``("error", status, code, detail)``, anything else as ``("crash", text)``."""
    try:
        _, layout, rows = sheet.open()
        while batch := [(number, payload_of(layout, values)) for number, values in itertools.islice(rows, PAYLOAD_BATCH)]:
            out.send(batch)
        out.send(("end", peak_mib()))
    except AppError as exc:
        out.send(("error", exc.status, exc.code, exc.detail))
    except (BrokenPipeError, KeyboardInterrupt):  # the next process has gone (or stops it): nothing to say
        pass
    except Exception as exc:  # noqa: BLE001 - told to the importing process, which retries the job
        out.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()
