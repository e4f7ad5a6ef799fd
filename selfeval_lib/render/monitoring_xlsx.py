"""The 运行监控表 (项目支出绩效运行监控表) of one monitoring as an Excel workbook, in the layout units
fill (财预〔2019〕136号 practice, docs/monitoring.md).

One sheet, 14 columns: the header as the 自评表 (项目名称, 主管部门, 实施单位); the funds block in 万元
(年初预算数 | 全年预算数 | 1–N月执行数 | 执行率 | 全年预计执行数 | 偏差原因 | 完成目标可能性 | 备注) with
rows 年度资金总额, 其中：财政拨款, 其他资金; 年度总体目标 | 1–N月完成情况; per indicator 一级 | 二级 |
三级指标 | 年度指标值 | 1–N月完成值 | 全年预计完成值 | 偏差原因 in five columns (经费保障 | 制度保障 |
人员保障 | 硬件条件保障 | 其他) | 完成目标可能性 (确定能 / 有可能 / 完全不可能) | 纠偏措施 | 备注 (a run
of one 一级指标, and of one 二级指标 inside it, is one merged cell). The platform's light of a figure
is the ground of its cell (执行率, 1–N月完成值), and the 注 under the table names every light in
words. The texts are the monitoring report's (:class:`~selfeval_lib.report.monitoring.MonitoringReport`
rows), so the table in the report and this file agree. Amounts in 万元 as numbers, rates as
percentages; every user text is stored as text (``files.cells.put_text``). Deterministic: fixed
document properties and zip member times.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.formatting import wan_value
from selfeval_lib.core.monitoring import LIGHT_ZH
from selfeval_lib.core.projection import months_text
from selfeval_lib.files.cells import put_text, put_value
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.report.monitoring_form import MISSING, projection_note
from selfeval_lib.report.spans import row_spans

if TYPE_CHECKING:  # pragma: no cover
    from selfeval_lib.report.monitoring import MonitoringReport

NCOLS = 14
WIDTHS = (10, 12, 22, 12, 12, 12, 11, 11, 11, 11, 14, 10, 22, 16)
#: Fill of a light's cell.
LIGHT_FILL = {"red": "FF9999", "yellow": "FFE699", "green": "A9D08E", "blue": "9BC2E6"}
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
_TITLE = Font(name="方正小标宋简体", size=16)
_BOLD = Font(name="黑体", size=10)
_PLAIN = Font(name="仿宋_GB2312", size=10)
_AMOUNT, _RATE = fmt.XLSX_AMOUNT, fmt.XLSX_RATE


class _Writer:
    def __init__(self, ws: Any):
        self.ws = ws
        self.row = 0

    def line(self, cells: list[tuple[int, int, Any]], *, bold: bool = False, left: set[int] | None = None,
             formats: dict[int, str] | None = None) -> int:
        """One row of (first column, last column, value) cells; strings are always text."""
        self.row += 1
        r, left, formats = self.row, left or set(), formats or {}
        for first, last, value in cells:
            cell = self.ws.cell(row=r, column=first)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                put_value(cell, value)
            cell.font = _BOLD if bold else _PLAIN
            cell.alignment = _LEFT if first in left else _CENTRE
            if first in formats:
                cell.number_format = formats[first]
            for c in range(first, last + 1):
                self.ws.cell(row=r, column=c).border = _BORDER
            if last > first:
                self.ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
            self._fit(r, first, last, value)
        return r

    def _fit(self, row: int, first: int, last: int, value: Any) -> None:
        """Row height for wrapped text: a CJK character takes about two width units."""
        if not isinstance(value, str) or not value:
            return
        room = max(1.0, sum(WIDTHS[c - 1] for c in range(first, last + 1)) / 2.1 - 1)
        lines = sum(math.ceil(max(1, len(part)) / room) for part in value.split("\n"))
        height = max(self.ws.row_dimensions[row].height or 15, 14 * lines + 4)
        self.ws.row_dimensions[row].height = height

    def fill(self, row: int, column: int, light: str | None) -> None:
        if light:
            self.ws.cell(row=row, column=column).fill = PatternFill("solid", fgColor=LIGHT_FILL[light])


def monitoring_workbook(report: MonitoringReport) -> bytes:
    """The 运行监控表 of ``report`` as .xlsx bytes (see the module doc)."""
    m, n = report.result, report.month
    e, span = m.execution, months_text(report.month)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{n}月运行监控表"
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    w = _Writer(ws)
    w.row += 1
    put_text(ws.cell(row=1, column=1), "项目支出绩效运行监控表")
    ws.cell(row=1, column=1).font, ws.cell(row=1, column=1).alignment = _TITLE, _CENTRE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=NCOLS)
    ws.row_dimensions[1].height = 30
    w.row += 1
    put_text(ws.cell(row=2, column=1), f"（{m.year}年{span}）")
    ws.cell(row=2, column=1).font, ws.cell(row=2, column=1).alignment = _PLAIN, _CENTRE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NCOLS)
    w.line([(1, 2, "项目名称"), (3, NCOLS, m.project_name)], left={3})
    w.line([(1, 2, "主管部门"), (3, 7, m.department), (8, 9, "实施单位"), (10, NCOLS, m.unit)], left={3, 10})

    # funds block: label A:B, amounts C–G, 偏差原因 H:K, 完成目标可能性 L, 备注 M:N
    head, rows = report.rows("execution")
    funds_cols = [(1, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 11), (12, 12), (13, 14)]
    w.line([(a, b, h if i else "资金情况（万元）") for i, ((a, b), h) in enumerate(zip(funds_cols, head))], bold=True)
    pr = e.projection
    figures = [wan_value(e.budget_initial), wan_value(e.budget_full_year), wan_value(e.executed), e.execution_rate,
               MISSING if pr.method == "nothing_spent" else wan_value(pr.executed)]
    for i, row in enumerate(rows):
        values = [row[0], *(figures if i < 2 else row[1:6]), *row[6:]]  # 其中：财政拨款 is the whole (one source)
        r = w.line([(a, b, v) for (a, b), v in zip(funds_cols, values)], left={1, 8, 13},
                   formats={3: _AMOUNT, 4: _AMOUNT, 5: _AMOUNT, 6: _RATE, 7: _AMOUNT})
        if i == 0:
            w.fill(r, 6, e.light)

    # 年度总体目标 | 1–N月完成情况
    (goal_head, (goal,)) = report.rows("goal")
    w.line([(1, 6, goal_head[0]), (7, NCOLS, goal_head[1])], bold=True)
    w.line([(1, 6, goal[0]), (7, NCOLS, goal[1])], left={1, 7})

    # indicator block: two header rows, 偏差原因 over its five columns
    head, rows = report.rows("indicators")
    top, bottom = w.row + 1, w.row + 2
    w.line([(c, c, h) for c, h in enumerate(head[:6], start=1)] + [(7, 11, "偏差原因")]
           + [(c, c, h) for c, h in enumerate(head[11:], start=12)], bold=True)
    w.line([(c, c, h if 7 <= c <= 11 else "") for c, h in enumerate(head, start=1)], bold=True)
    for c in [*range(1, 7), *range(12, NCOLS + 1)]:
        ws.merge_cells(start_row=top, start_column=c, end_row=bottom, end_column=c)
    first = w.row + 1
    for s, row in zip(m.indicators, rows):
        r = w.line([(c, c, v) for c, v in enumerate(row, start=1)], left={3, *range(7, 12), 13, 14})
        w.fill(r, 5, s.light)
    for i, spans in enumerate(row_spans([[r[0], r[1]] for r in rows], [0, 1])):
        for col, span in enumerate(spans, start=1):  # 一级指标, and 二级指标 inside it: one cell per run
            if span > 1:
                ws.merge_cells(start_row=first + i, start_column=col, end_row=first + i + span - 1, end_column=col)

    w.line([(1, NCOLS, "注：" + "\n".join(f"{i}. {note}" for i, note in enumerate(_notes(report), start=1)))],
           left={1})
    ws.print_area = f"A1:{get_column_letter(NCOLS)}{w.row}"
    ws.print_title_rows = f"{top}:{bottom}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    props = wb.properties
    props.creator = props.lastModifiedBy = m.unit[:60] or "selfeval"
    props.title = xml_text(f"{m.year}年度{m.project_name}绩效运行监控表（{span}）")
    return workbook_bytes(wb)


def _notes(report: MonitoringReport) -> list[str]:
    """The 注 under the table: the lights in words, the bureau's checkpoint, what the projection rests on."""
    m, e = report.result, report.result.execution
    lights = [f"预算执行{LIGHT_ZH[e.light]}"]
    lights += [f"“{s.name}”{LIGHT_ZH[s.light]}" for s in m.indicators if s.light and s.light != "green"]
    greens = sum(1 for s in m.indicators if s.light == "green")
    notes = [f"执行率、{months_text(m.month)}完成值单元格的底色为预警灯（红灯、黄灯、绿灯、蓝灯）：" + "，".join(lights)
             + (f"，其余{greens}项指标绿灯" if greens else "") + "。"]
    if e.checkpoint is not None and e.checkpoint_light is not None:
        met = "已达到" if e.checkpoint_light == "green" else "未达到"
        notes.append(f"财政部门要求{e.checkpoint.month}月末预算执行率不低于"
                     f"{fmt.percent(e.checkpoint.rate, trim=True)}，截至{m.month}月末{met}要求。")
    notes.append(projection_note(m) + "。")
    return notes


__all__ = ["LIGHT_FILL", "monitoring_workbook"]
