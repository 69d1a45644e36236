"""The figures of an OfficialDocument as an XLSX annex: one sheet per table, numbers as
numbers (so they can be summed again), the document's title and subject above."""

from __future__ import annotations

from decimal import InvalidOperation

from openpyxl import Workbook

from antq.core.spreadsheets import put_text, styles, workbook_bytes
from antq.core.vnformat import parse_number
from antq.reports.content import OfficialDocument


def xlsx_bytes(report: OfficialDocument) -> bytes:
    st = styles()
    wb = Workbook()
    wb.remove(wb.active)
    tables = report.annex or []
    if not tables:
        ws = wb.create_sheet("Phụ lục")
        put_text(ws.cell(1, 1), report.title)
        put_text(ws.cell(3, 1), "Không có số liệu trong kỳ báo cáo.")
        return workbook_bytes(wb)
    for n, table in enumerate(tables, start=1):
        ws = wb.create_sheet(f"Phụ lục {n}")
        put_text(ws.cell(1, 1), f"Phụ lục {n}: {table.title}")
        ws.cell(1, 1).font = st["title"]
        put_text(ws.cell(2, 1), report.title)
        ws.cell(2, 1).font = st["subtitle"]
        for j, name in enumerate(table.columns, start=1):
            cell = ws.cell(4, j)
            put_text(cell, name)
            cell.font, cell.fill = st["header_font"], st["header_fill"]
            cell.alignment, cell.border = st["center"], st["border"]
        rows = table.rows + ([table.total] if table.total else [])
        for i, row in enumerate(rows, start=5):
            last = table.total is not None and i == 4 + len(rows)
            for j, value in enumerate(row, start=1):
                cell = ws.cell(i, j)
                if j - 1 >= table.numeric_from and value != "—":
                    try:
                        number = parse_number(value)  # "6.512" is six thousand
                        cell.value = int(number) if number == int(number) else float(number)
                        cell.number_format = "#,##0.##"
                    except (InvalidOperation, ValueError):
                        put_text(cell, value)
                else:
                    put_text(cell, value)
                cell.border = st["border"]
                if last:
                    cell.font = st["total_font"]
        if table.widths:  # relative widths, as in the document: about 5 characters a unit
            for j, width in enumerate(table.widths, start=1):
                ws.column_dimensions[ws.cell(4, j).column_letter].width = max(6, width * 5)
        else:
            ws.column_dimensions["A"].width = 34
            for j in range(2, len(table.columns) + 1):
                ws.column_dimensions[ws.cell(4, j).column_letter].width = 18
        ws.freeze_panes = "B5"
    return workbook_bytes(wb)
