"""The export workbook: the import template's sheet and columns, one row per record, written
with openpyxl in write-only mode batch by batch (memory stays flat), text made safe for Excel."""
from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook

from .columns import columns, headers
from .convert import row_of
from .writing import data_cell, save_temp, styled_header, write_only_sheet


class ExportBook:
    def __init__(self) -> None:
        self.wb: Workbook
        self.wb, self.ws = write_only_sheet()
        self.ws.append(styled_header(self.ws, headers(), list(columns())))
        self.rows = 0

    def append(self, records: list[dict[str, Any]]) -> None:
        """Stored records (``TransactionIn`` as JSON) → rows; run in a worker thread."""
        for record in records:
            self.ws.append([data_cell(self.ws, value) for value in row_of(record)])
        self.rows += len(records)

    def finish(self) -> IO[bytes]:
        return save_temp(self.wb)
