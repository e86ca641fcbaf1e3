"""An uploaded workbook as the import sees it: a checked header and the data rows after it."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from autocirc_shared.errors import AppError
from openpyxl.utils import get_column_letter

from .columns import Column, layout_of
from .convert import is_blank
from .limits import ImportLimits
from .reader import Row, SheetReader
from .safety import WorkbookParts, inspect_workbook
from .writing import DATA_SHEET


@dataclass
class UploadedSheet:
    data: bytes
    parts: WorkbookParts

    @classmethod
    def check(cls, data: bytes, limits: ImportLimits, *, data_rows: int | None = None) -> UploadedSheet:
        """Refuses what must not be parsed (safety) and files without the template's header; ``data_rows`` as
        :func:`~.safety.inspect_workbook` takes it."""
        sheet = cls(data, inspect_workbook(data, limits, DATA_SHEET, data_rows=data_rows))
        sheet.open()  # reads the header row only
        if sheet.parts.data_rows == 0:
            raise AppError(422, "import.empty", "工作簿中没有可导入的数据行")
        return sheet

    def open(self) -> tuple[list, list[Column | None], Iterator[Row]]:
        """(header values, column of each position, the non-blank data rows)."""
        rows = iter(SheetReader(self.data, self.parts))
        for _, header in rows:
            if not is_blank(header):
                return header, layout_of(header), (row for row in rows if not is_blank(row[1]))
        raise AppError(422, "import.header", "工作簿中没有表头行，请使用导入模板")


def letters_of(layout: list[Column | None]) -> dict[str, str]:
    """Column path → its letter in the uploaded sheet (the file may order columns its own way)."""
    return {column.path: get_column_letter(index + 1) for index, column in enumerate(layout) if column is not None}
