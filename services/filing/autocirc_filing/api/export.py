"""备案登记表: export as a workbook and as a printable page (打印、导出)."""
from __future__ import annotations

import base64
import html
import io
from urllib.parse import quote

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.spreadsheet import safe_cell
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..domain.form_sheet import Sheet
from ..usecases.export import sheet_in_force

router = APIRouter(prefix="/api/v1/filing", tags=["filing"])
PAIRS_PER_ROW = 3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_workbook(sheet: Sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "备案登记表"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    label_fill = PatternFill("solid", fgColor="EEF3FA")
    width = PAIRS_PER_ROW * 2
    ws.append([sheet.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for title, pairs in sheet.sections:
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for i in range(0, len(pairs), PAIRS_PER_ROW):
            row = []
            for label, value in pairs[i:i + PAIRS_PER_ROW]:
                row += [label + "：", safe_cell(value)]
            ws.append(row)
            for col in range(1, len(row) + 1):
                cell = ws.cell(ws.max_row, col)
                cell.border = border
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if col % 2 == 1:
                    cell.fill = label_fill
    for title, header, rows in sheet.tables:
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(header)
        for col in range(1, len(header) + 1):
            ws.cell(ws.max_row, col).fill = label_fill
        for row in rows:
            ws.append([safe_cell(v) for v in row])
    for col, w in zip("ABCDEF", (22, 28, 22, 28, 22, 28)):
        ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_html(sheet: Sheet) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(sheet.title)}</title>",
             "<style>body{font-family:'SimSun','Songti SC',serif;margin:24px}h1{text-align:center;font-size:22px}"
             "table{border-collapse:collapse;width:100%;margin:8px 0 16px}td,th{border:1px solid #888;padding:6px;"
             "font-size:13px}td.l,th{background:#eef3fa;white-space:nowrap}h2{font-size:15px;margin:12px 0 4px}"
             ".images{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;text-align:center;font-size:13px}"
             "figure img{max-width:300px;max-height:300px;border:1px solid #888}"
             "@media print{button{display:none}}</style></head><body>",
             "<button onclick='window.print()'>打印</button>", f"<h1>{e(sheet.title)}</h1>"]
    for title, pairs in sheet.sections:
        parts.append(f"<h2>{e(title)}</h2><table>")
        for i in range(0, len(pairs), PAIRS_PER_ROW):
            parts.append("<tr>" + "".join(f"<td class='l'>{e(label)}：</td><td>{e(value)}</td>"
                                          for label, value in pairs[i:i + PAIRS_PER_ROW]) + "</tr>")
        parts.append("</table>")
    for title, header, rows in sheet.tables:
        parts.append(f"<h2>{e(title)}</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in rows]
        if not rows:
            parts.append(f"<tr><td colspan='{len(header)}'>（无）</td></tr>")
        parts.append("</table>")
    if sheet.images:
        parts.append("<h2>营业执照及公章影像</h2><div class='images'>")
        parts += [f"<figure data-kind='{e(label)}'><img alt='{e(label)}' src='data:{e(content_type)};base64,"
                  f"{base64.b64encode(data).decode()}'><figcaption>{e(label)}</figcaption></figure>"
                  for label, content_type, data in sheet.images]
        parts.append("</div>")
    parts.append("</body></html>")
    return "".join(parts)


@router.get("/export.xlsx", summary="导出备案登记表（Excel）", response_class=StreamingResponse,
            responses={200: {"content": {XLSX: {}}}})
async def export_xlsx(principal: Principal = Depends(require_kind("enterprise")), uow: UnitOfWork = Depends(get_uow)):
    data = render_workbook(await sheet_in_force(uow, principal))
    filename = quote("备案登记表.xlsx")
    return StreamingResponse(iter([data]), media_type=XLSX,
                             headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})


@router.get("/print", response_class=HTMLResponse, summary="打印备案登记表（网页）")
async def print_page(request: Request, principal: Principal = Depends(require_kind("enterprise")),
                     uow: UnitOfWork = Depends(get_uow)):
    return HTMLResponse(render_html(await sheet_in_force(uow, principal, request.app.state.blobs)))
