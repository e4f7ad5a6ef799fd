"""The 运行监控表 (绩效运行监控表) of one monitoring as an Excel workbook (docs/monitoring.md).

One sheet: the header as the 自评表 (项目名称, 主管部门, 实施单位); the funds row (年初预算数 |
全年预算数 | 1–N月执行数 | 执行率 | 序时进度 | 偏差原因 | 纠偏措施 | 是否可能完成全年目标 | 预警); one row per
indicator (一级/二级/三级指标 | 年度指标值 | 1–N月实际完成值 | 全年预计完成值 | 偏差原因 | 纠偏措施 |
预警; a run of the same 一级指标, and of the same 二级指标 inside it, is one merged cell); notes with
the projection's assumptions and the bureau's checkpoint. Amounts in 万元 as
numbers, rates as percentages; every user text is stored as text (``files.cells.put_text``).
Output is deterministic: fixed document properties and zip member times.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from selfeval_lib.core.formatting import percent, wan_value
from selfeval_lib.core.monitoring import LIGHT_ZH, Explanation, Monitoring
from selfeval_lib.core.projection import months_text
from selfeval_lib.files.cells import put_text, put_value
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.report.spans import row_spans

NCOLS = 9
WIDTHS = (12, 14, 26, 14, 16, 16, 30, 30, 10)
#: Fill of a light's cell.
LIGHT_FILL = {"red": "FF9999", "yellow": "FFE699", "green": "A9D08E", "blue": "9BC2E6"}
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
_BOLD = Font(name="宋体", bold=True)
_PLAIN = Font(name="宋体")


def _reason(e: Explanation) -> str:
    return (f"【{e.category}】" if e.category else "") + e.reason


def _achievable(e: Explanation) -> str:
    return "" if e.achievable is None else ("是" if e.achievable else "否")


class _Writer:
    def __init__(self, ws: Any):
        self.ws = ws
        self.row = 0

    def line(self, values: list[Any], *, bold: bool = False, spans: dict[int, int] | None = None,
             formats: dict[int, str] | None = None, left: set[int] | None = None) -> int:
        """One row; ``spans`` merges column c over n columns; strings are always text."""
        self.row += 1
        r, col = self.row, 1
        spans, formats, left = spans or {}, formats or {}, left or set()
        for value in values:
            cell = self.ws.cell(row=r, column=col)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                put_value(cell, value)
            cell.font = _BOLD if bold else _PLAIN
            cell.alignment = _LEFT if col in left else _WRAP
            if col in formats:
                cell.number_format = formats[col]
            width = spans.get(col, 1)
            for c in range(col, col + width):
                self.ws.cell(row=r, column=c).border = _BORDER
            if width > 1:
                self.ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + width - 1)
            self._fit(r, col, width, value)
            col += width
        return r

    def _fit(self, row: int, col: int, span: int, value: Any) -> None:
        """Row height for wrapped text: a CJK character takes about two width units."""
        if not isinstance(value, str) or not value:
            return
        room = max(1.0, sum(WIDTHS[c - 1] for c in range(col, col + span)) / 2.1 - 1)
        lines = sum(math.ceil(max(1, len(part)) / room) for part in value.split("\n"))
        height = max(self.ws.row_dimensions[row].height or 15, 15 * lines + 3)
        self.ws.row_dimensions[row].height = height

    def light(self, column: int, light: str | None) -> None:
        cell = self.ws.cell(row=self.row, column=column)
        put_text(cell, LIGHT_ZH[light] if light else "—")
        cell.font, cell.alignment, cell.border = _BOLD if light == "red" else _PLAIN, _WRAP, _BORDER
        if light:
            cell.fill = PatternFill("solid", fgColor=LIGHT_FILL[light])


def monitoring_workbook(m: Monitoring) -> bytes:
    """The 运行监控表 of ``m`` as .xlsx bytes (see the module doc)."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{m.month}月运行监控表"
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    w = _Writer(ws)
    span = months_text(m.month)
    e = m.execution
    title = w.line([f"{m.year}年度项目支出绩效运行监控表（截至{m.month}月末）"], bold=True, spans={1: NCOLS})
    ws.row_dimensions[title].height = 30
    w.line(["项目名称", m.project_name], spans={2: NCOLS - 1}, left={2})
    w.line(["主管部门", m.department, "实施单位", m.unit], spans={2: 3, 6: 4}, left={2, 6})
    w.line(["预算执行情况"], bold=True, spans={1: NCOLS}, left={1})
    w.line(["年初预算数（万元）", "全年预算数（万元）", f"{span}执行数（万元）", "执行率", "序时进度",
            "偏差原因", "纠偏措施", "是否可能完成全年目标", "预警"], bold=True)
    w.line([wan_value(e.budget_initial), wan_value(e.budget_full_year), wan_value(e.executed),
            e.execution_rate, e.time_progress, _reason(e.explanation), e.explanation.measure,
            _achievable(e.explanation)],
           formats={1: "#,##0.00", 2: "#,##0.00", 3: "#,##0.00", 4: "0.00%", 5: "0.00%"}, left={6, 7})
    w.light(9, e.light)
    w.line(["绩效指标完成情况"], bold=True, spans={1: NCOLS}, left={1})
    w.line(["一级指标", "二级指标", "三级指标", "年度指标值", f"{span}实际完成值", "全年预计完成值",
            "偏差原因", "纠偏措施", "预警"], bold=True)
    first = w.row + 1
    for s in m.indicators:
        w.line([s.level1, s.level2, s.name, s.target, s.value, s.projected_text,
                _reason(s.explanation), s.explanation.measure], left={3, 7, 8})
        w.light(9, s.light)
    for i, row in enumerate(row_spans([[s.level1, s.level2] for s in m.indicators], [0, 1])):
        for col, span in enumerate(row, start=1):  # 一级指标, and 二级指标 inside it: one cell per run
            if span > 1:
                ws.merge_cells(start_row=first + i, start_column=col, end_row=first + i + span - 1, end_column=col)
    notes = [f"执行进度 = 执行率 ÷ 序时进度 × 100 = {e.progress:.2f}（{LIGHT_ZH[e.light]}）。",
             f"全年预计执行率 {percent(e.projection.rate)}：{e.projection.assumption}。"]
    if e.checkpoint is not None and e.checkpoint_light is not None:
        notes.append(f"财政部门预算执行进度要求：{e.checkpoint.month}月末不低于{percent(e.checkpoint.rate, trim=True)}，"
                     f"实际{percent(e.execution_rate)}（{LIGHT_ZH[e.checkpoint_light]}）。")
    for s in m.indicators:
        if s.assumption and s.projected_text:
            notes.append(f"“{s.name}”全年预计完成值{s.projected_text}：{s.assumption}。")
    w.line(["注：" + "\n".join(f"{i}. {n}" for i, n in enumerate(notes, start=1))], spans={1: NCOLS}, left={1})
    ws.print_area = f"A1:{get_column_letter(NCOLS)}{w.row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    props = wb.properties
    props.creator = props.lastModifiedBy = "selfeval"
    props.title = xml_text(f"{m.year}年度{m.project_name}绩效运行监控表（{m.month}月）")
    return workbook_bytes(wb)


__all__ = ["LIGHT_FILL", "monitoring_workbook"]
