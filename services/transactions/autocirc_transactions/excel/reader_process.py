"""The first stage of a large import: the sheet's rows read in a child process.

:func:`read_rows` runs the reader (:mod:`.reader`) and sends the rows' cell values over a pipe (its buffer
bounds what is in flight) to the checker process (:mod:`..usecases.import_pipeline`), which converts and
checks them: flat lists of values cost a third of what the converted payloads (nested dicts) cost to
unpickle, and the reader, the busier of the two, is spared the conversion.
"""
from __future__ import annotations

import itertools

from autocirc_shared.errors import AppError
from autocirc_shared.memory import status_mib

from .rows import UploadedSheet

ROW_BATCH = 200  # rows per message from the reader process


def read_rows(sheet: UploadedSheet, out) -> None:
    """The reader process: lists of ``(row number, values)``, then ``("end", peak MiB)``; a problem with the
    file as ``("error", status, code, detail)``, anything else as ``("crash", text)``."""
    try:
        _, _, rows = sheet.open()
        while batch := list(itertools.islice(rows, ROW_BATCH)):
            out.send(batch)
        out.send(("end", status_mib("VmHWM") or 0.0))
    except AppError as exc:
        out.send(("error", exc.status, exc.code, exc.detail))
    except (BrokenPipeError, KeyboardInterrupt):  # the next process has gone (or stops it): nothing to say
        pass
    except Exception as exc:  # noqa: BLE001 - told to the importing process, which retries the job
        out.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()
