"""The 自评表 (project self-evaluation table) as an Excel workbook, in the layout of the rule set.

:func:`self_evaluation_workbook` writes one sheet with openpyxl in the layout the rule set names
(:data:`selfeval_lib.render.xlsx_layouts.LAYOUTS`, docs/rules.md §1: the national 财预〔2020〕10号
table or the Sichuan 部门预算 table); cells are written by :class:`.xlsx_sheet.Sheet`.

The sheet keeps the official table's arithmetic as real formulas: 执行率 = 全年执行数 / 全年预算数,
执行率得分 = MIN(执行率, 1) × 分值, 总分 = Σ 得分 + 执行率得分. openpyxl cannot evaluate
formulas, so evaluate()'s results are written as the formulas' cached values (viewers that
do not recalculate show them) and the workbook asks for a full recalculation on load (Excel,
LibreOffice). Indicator scores are values (the scoring rules are not spreadsheet formulas),
kept at full precision and shown with two decimals. Amounts are in 万元.

Output is deterministic: fixed document properties and zip member times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.render.xlsx_layouts import LAYOUTS, layout_name
from selfeval_lib.render.xlsx_sheet import Sheet


def _page_setup(ws: Worksheet, last_col: int, last_row: int) -> None:
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.sheet_view.showGridLines = False


def with_cached_values(cached: dict[str, float | str]) -> Callable[[bytes], bytes]:
    """Fill the empty ``<v>`` of the formula cells written by openpyxl with evaluate()'s results."""
    def patch(xml: bytes) -> bytes:
        def repl(m: re.Match[bytes]) -> bytes:
            ref = m.group(2).decode()
            if ref not in cached:
                return m.group(0)
            value = cached[ref]
            if isinstance(value, str):
                text = escape(xml_text(value)).encode()
                return m.group(1).replace(b"<c ", b'<c t="str" ', 1) + m.group(3) + b"<v>" + text + b"</v>"
            return m.group(1) + m.group(3) + b"<v>" + repr(float(value)).encode() + b"</v>"
        return re.sub(rb'(<c r="([A-Z]+[0-9]+)"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(?:</v>)?', repl, xml)
    return patch


def self_evaluation_workbook(ev: Evaluation, *, cached_values: bool = True) -> bytes:
    """The 自评表 of one evaluation as .xlsx bytes, in the rule set's layout (see module doc).

    ``cached_values`` writes evaluate()'s results as the formulas' stored values (default);
    without them a spreadsheet must recalculate to show the formula cells.
    """
    layout = LAYOUTS[layout_name(ev)]
    wb = Workbook()
    ws = wb.active
    p = ev.project_year.project
    ws.title = f"{p.year}年度自评表"
    sh = Sheet(ws, layout.widths)
    for col, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    layout.write(sh, ev)
    sh.fit_rows(2, sh.last_row)
    ws.row_dimensions[1].height = 32
    _page_setup(ws, sh.ncols, sh.last_row)
    wb.calculation.fullCalcOnLoad = True
    props = wb.properties
    props.creator = "selfeval"
    props.lastModifiedBy = "selfeval"
    props.title = xml_text(f"{p.year}年度{p.name}项目支出绩效自评表")
    replace = {"xl/worksheets/sheet1.xml": with_cached_values(sh.cached)} if cached_values else {}
    return workbook_bytes(wb, replace)


__all__ = ["self_evaluation_workbook"]
