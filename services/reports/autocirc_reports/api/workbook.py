"""Statistics as an .xlsx download: openpyxl write-only, written in a worker thread, streamed from disk."""
from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator, Sequence
from urllib.parse import quote

from autocirc_shared.spreadsheet import safe_cell
from fastapi.responses import StreamingResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


def _write(path: str, sheet: str, title: str, header: Sequence[str], rows: Sequence[Sequence]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append([safe_cell(title)])
    ws.append([safe_cell(h) for h in header])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    wb.save(path)


def _chunks(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


async def xlsx_response(filename: str, sheet: str, title: str, header: Sequence[str],
                        rows: Sequence[Sequence]) -> StreamingResponse:
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        await asyncio.to_thread(_write, path, sheet, title, header, rows)
    except BaseException:
        os.unlink(path)
        raise
    return StreamingResponse(_chunks(path), media_type=XLSX,
                             headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
