"""The year's monitoring index of month N as bytes: the page ``monitoring-NN.html`` (offline,
sortable, every project's lights as words on their colours) and the workbook ``monitoring-NN.xlsx``,
from the rows :mod:`selfeval_lib.batch.index` gathers (red first). User text is escaped in
HTML (Jinja autoescape) and stored as text, never as a formula, in Excel.
"""

from __future__ import annotations

from typing import Any, Iterable

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.monitoring import LIGHT_ORDER
from selfeval_lib.files.cells import append_row
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.render.cell_texts import COLOURS, FILLS, monitoring_cell
from selfeval_lib.render.templating import render

#: (label, key, kind) of the index columns; kind "light" shows the light's word on its colour.
COLUMNS = (
    ("项目编号", "id", "text"), ("项目名称", "name", "text"), ("实施单位", "unit", "text"),
    ("全年预算（万元）", "budget_wan", "num"), ("执行率", "execution_rate", "num"), ("序时进度", "time_progress", "num"),
    ("执行进度", "progress", "num"), ("执行亮灯", "light", "light"), ("进度要求", "checkpoint_light", "light"),
    ("全年预计执行率", "projected_rate", "num"), ("红灯指标", "red", "num"), ("黄灯指标", "yellow", "num"),
    ("绿灯指标", "green", "num"), ("蓝灯指标", "blue", "num"), ("未亮灯", "none", "num"), ("问题数", "findings", "num"),
    ("规则集", "rule_set", "text"), ("状态", "status", "text"),
)


def monitoring_index_html(year: int, month: int, rows: Iterable[dict[str, Any]]) -> str:
    """The monitoring index page: offline, self-contained, sortable (red first as written)."""
    empty = dict.fromkeys((key for _, key, _ in COLUMNS), None)
    rows = [empty | r for r in rows]  # a column a row lacks is None, shown "—"
    reds = sum(1 for r in rows if r.get("worst") == LIGHT_ORDER["red"])
    return render("monitoring/index.html.j2",
        year=year, month=month, rows=rows, columns=COLUMNS, reds=reds,
        ok=sum(r["status"] == "ok" for r in rows), failed=sum(r["status"] != "ok" for r in rows))


def monitoring_index_xlsx(year: int, month: int, rows: Iterable[dict[str, Any]]) -> bytes:
    """The index rows as a workbook: numbers as numbers, lights as words on their colour, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年1–{month}月监控"
    append_row(ws, [label for label, _, _ in COLUMNS] + ["错误"])
    for cell in ws[1]:
        cell.font = Font(name="等线", bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    formats = {"budget_wan": fmt.XLSX_AMOUNT, "execution_rate": fmt.XLSX_RATE, "time_progress": fmt.XLSX_RATE,
               "projected_rate": fmt.XLSX_RATE, "progress": fmt.XLSX_SCORE}
    for r in rows:
        append_row(ws, [r.get(k) if kind == "num" else monitoring_cell(r.get(k), k, kind) for _, k, kind in COLUMNS]
                   + [r.get("error") or ""])
        for col, (_, key, kind) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=ws.max_row, column=col)
            if key in formats:
                cell.number_format = formats[key]
            if kind == "light" and r.get(key) in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[r[key]])
                cell.font = Font(bold=True, color=COLOURS[r[key]])
    for i, width in enumerate((18, 32, 26, 14, 9, 9, 9, 9, 9, 12, 8, 8, 8, 8, 8, 8, 8, 40), start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "selfeval"
    return workbook_bytes(wb)


__all__ = ["COLUMNS", "monitoring_index_html", "monitoring_index_xlsx"]
