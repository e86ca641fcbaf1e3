"""The import template 车辆交易信息.xlsx (表格下载 → Excel 导入模版).

Sheet 车辆交易信息: the header row (required columns shaded orange), one example row, text
format on text columns (so ID numbers keep every digit) and a drop-down on every enumerated
column, fed from the hidden sheet 选项; sheet 填写说明: how to fill in each column.
"""
from __future__ import annotations

import io
from functools import lru_cache

from autocirc_shared.validation import resident_id_check_char, uscc_check_char, vin_check_char
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .choices import Choices
from .columns import BOOL, CHOICE, DATE, TEXT, Column, columns
from .convert import row_of
from .limits import import_limits
from .writing import DATA_SHEET, DATE_FORMAT, header_style, set_widths

OPTIONS_SHEET = "选项"
HELP_SHEET = "填写说明"
GENERAL_HELP = (
    "1. 在“车辆交易信息”工作表中每行填写一笔二手车交易，第1行为表头，请勿修改表头；第2行是示例，导入前请改为真实数据或删除。",
    "2. 橙色表头为必填项；企业须填写统一社会信用代码（无统一代码时填写组织机构代码），个人须填写国籍、民族（中国籍）、证件类型和证件号码。",
    "3. 带下拉箭头的列请从下拉列表中选择，也可以只填写代码（如 K33、A、CHN、01）。日期格式为 YYYY-MM-DD。",
    "4. 导入为整体导入：任何一行有错误时，整个文件都不会保存，系统会列出每个出错的单元格，并可下载标出错误的工作簿。",
    "5. 同一车辆识别代码且同一交易日期的记录已存在时不会重复保存，重复导入同一文件不会产生重复记录。",
    "6. 单个文件最多 {max_rows} 行，文件不超过 {max_mb} MB；只接受 .xlsx 格式（不接受含宏的 .xlsm）。",
)


def example_record() -> dict:
    """A valid sample transaction (check characters computed, dates in the past)."""
    uscc_body = "91330106MA27XQ8B1"
    vin_body = "LSVAB2BM0HN123456"
    id_body = "11010119900307123"
    return {
        "buyer": {"name": "李四", "is_enterprise": False, "has_uscc": False, "nationality": "CHN", "ethnicity": "01",
                  "id_type": "resident_id", "id_number": id_body + resident_id_check_char(id_body),
                  "address": "北京市东城区东四十条1号", "mobile": "13812345678"},
        "seller": {"name": "杭州某某汽车服务有限公司", "is_enterprise": True, "has_uscc": True,
                   "uscc": uscc_body + uscc_check_char(uscc_body), "address": "杭州市西湖区文三路1号",
                   "mobile": "13912345678"},
        "agent": None,
        "vehicle": {"plate_number": "京A12345", "registration_cert_no": "110001234567",
                    "vin": vin_body[:8] + vin_check_char(vin_body) + vin_body[9:], "vin_checksum_confirmed": False,
                    "brand_model": "大众汽车牌SVW7147", "vehicle_type": "K33", "report_category": "passenger_basic",
                    "usage": "non_operating", "usage_code": "A", "first_registration_date": "2018-05-20",
                    "origin": "domestic"},
        "deal": {"trade_date": "2024-03-15", "transfer_office": "北京市公安局公安交通管理局车辆管理所",
                 "transfer_region_code": "110101", "price": "56800.00", "price_upper": None,
                 "operator_unit": "北京某某二手车经销有限公司", "trade_type": "direct", "invoice_no": "01234567",
                 "initial_purchase_price": "128000.00", "initial_purchase_date": "2018-05-10",
                 "mileage_km": "65000"},
    }


def _options_sheet(wb: Workbook, cols: tuple[Column, ...]) -> dict[str, str]:
    """Writes each enumeration in its own column of the hidden sheet; title → range formula."""
    ws = wb.create_sheet(OPTIONS_SHEET)
    ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    lists: list[Choices] = []
    for column in cols:
        if column.kind == CHOICE and column.choices and column.choices.title not in ranges:
            lists.append(column.choices)
            letter = get_column_letter(len(lists))
            ranges[column.choices.title] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(column.choices.entries) + 1}"
    for index, choices in enumerate(lists, start=1):
        ws.cell(1, index, choices.title).font = Font(bold=True)
        for row, entry in enumerate(choices.entries, start=2):
            ws.cell(row, index, entry)
    return ranges


def _validations(ws, cols: tuple[Column, ...], ranges: dict[str, str], last_row: int) -> None:
    by_formula: dict[str, DataValidation] = {}
    for index, column in enumerate(cols, start=1):
        if column.kind == BOOL:
            formula = '"是,否"'
        elif column.kind == CHOICE and column.choices:
            formula = ranges[column.choices.title]
        else:
            continue
        validation = by_formula.get(formula)
        if validation is None:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning",
                                        showErrorMessage=True, errorTitle="请从下拉列表中选择",
                                        error="该值不在下拉列表中，确定要保留吗？")
            by_formula[formula] = validation
            ws.add_data_validation(validation)
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")


def _help_sheet(wb: Workbook, cols: tuple[Column, ...]) -> None:
    limits = import_limits()
    ws = wb.create_sheet(HELP_SHEET)
    ws.append(["车辆交易信息导入说明"])
    ws["A1"].font = Font(size=14, bold=True)
    for line in GENERAL_HELP:
        ws.append([line.format(max_rows=limits.max_rows, max_mb=limits.max_bytes // (1024 * 1024))])
    ws.append([])
    ws.append(["列名", "是否必填", "填写说明", "可选值"])
    for cell in ws[ws.max_row]:
        header_style(cell, None)
    for column in cols:
        options = "、".join(column.choices.entries[:12]) + ("……（见下拉列表）" if len(column.choices.entries) > 12 else "") \
            if column.choices else ""
        ws.append([column.header, "必填" if column.required else "选填", column.help, options])
    for row in ws.iter_rows(min_row=len(GENERAL_HELP) + 3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    set_widths(ws, (26, 10, 60, 60))


def _data_sheet(ws, cols: tuple[Column, ...]) -> None:
    ws.title = DATA_SHEET
    ws.append([c.header for c in cols])
    for cell, column in zip(ws[1], cols):
        header_style(cell, column)
    ws.append(row_of(example_record()))
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        if column.kind == TEXT:
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(2, index).number_format = "@"
        elif column.kind == DATE:
            ws.column_dimensions[letter].number_format = DATE_FORMAT
            ws.cell(2, index).number_format = DATE_FORMAT
    set_widths(ws, (c.width for c in cols))
    ws.freeze_panes = "A2"


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The template is the same for everyone: built once per process."""
    cols = columns()
    wb = Workbook()
    _data_sheet(wb.active, cols)
    _help_sheet(wb, cols)
    ranges = _options_sheet(wb, cols)
    _validations(wb[DATA_SHEET], cols, ranges, import_limits().max_rows + 1)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
