"""The 自评表's two table layouts (docs/rules.md §1) written to a sheet, and the layout a rule
set chooses (:func:`layout_name`).

The table's content (cells, merges, formulas, texts) is :func:`selfeval_lib.report.self_table.
self_table`, which the report's 附件 (HTML, Word) shows too; this module adds the sheet's fonts,
number formats, comments and print settings. ``"national"`` is the 财预〔2020〕10号 table,
``"sichuan"`` the 部门预算 table with 评价结论 / 存在问题 / 改进措施 (each at most
:data:`SICHUAN_CLOSING_LIMIT` characters) and the two signatures. Amounts are in 万元.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.comments import Comment

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.render.htmlblocks import plain_text
from selfeval_lib.render.xlsx_sheet import AMOUNT, BOLD, CENTER, FONT, LEFT, RATE, SCORE, TITLE, Sheet
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.self_table import (
    NATIONAL_FUNDS,
    NATIONAL_INDICATORS,
    NATIONAL_SOURCES,
    SICHUAN_CLOSING,
    SICHUAN_CLOSING_LIMIT,
    SICHUAN_FUNDS,
    SICHUAN_INDICATORS,
    SICHUAN_SOURCES,
    Cell,
    Merge,
    SelfTable,
    closing_texts as _closing_texts,
    completion_summary,
    fit_text,
    self_table,
    split_target,
)

_FORMATS = {"amount": AMOUNT, "rate": RATE, "score": SCORE, "text": None}
#: Who a cell's note is from, as Excel shows it beside the note: the form's own 填表说明, never
#: the program (the 自评表 is the unit's).
NOTE_AUTHOR = "填表说明"


@dataclass(frozen=True)
class Layout:
    """A table layout: its name, what it is, the column widths (characters) and its writer."""

    name: str
    description: str
    widths: tuple[float, ...]
    write: Callable[[Sheet, Evaluation], None]


def narrative_texts(ev: Evaluation) -> dict[str, str]:
    """The narrative's 评价结论 / 存在问题 / 建议 as plain text (the Sichuan closing rows)."""
    text = render_narrative(ev)
    return {key: plain_text(text.get(key, "")) for key in ("conclusion", "problems", "suggestions")}


def closing_texts(ev: Evaluation, limit: int) -> dict[str, str]:
    """评价结论 / 存在问题 / 改进措施 of the report, each within ``limit`` characters."""
    return _closing_texts(narrative_texts(ev), limit)


def report_self_table(ev: Evaluation) -> SelfTable:
    """The 自评表 of ``ev`` in its rule set's layout, as the workbook and the 附件 show it."""
    return self_table(ev, narrative_texts(ev) if ev.rules.table_layout == "sichuan" else {})


def write_table(sh: Sheet, table: SelfTable) -> None:
    """Every cell and merge of ``table`` on the sheet, with the table's formulas."""
    for item in table.items:
        if isinstance(item, Merge):
            sh.ws.merge_cells(start_row=item.row, start_column=item.col, end_row=item.to_row, end_column=item.to_col)
            continue
        cell: Cell = item
        kw = {"to_col": cell.to_col, "to_row": cell.to_row, "header": cell.header,
              "align": LEFT if cell.left else CENTER, "number_format": _FORMATS[cell.kind]}
        if (cell.row, cell.col) == (1, 1):
            sh.put(1, 1, cell.value, to_col=cell.to_col, font=TITLE, border=False)
            sh.ws.row_dimensions[1].height = 32
            continue
        font = BOLD if cell.bold else FONT
        if cell.formula:
            sh.put(cell.row, cell.col, cell.formula, cached=cell.value, font=font, **kw)
        else:
            sh.put(cell.row, cell.col, cell.value, font=font, **kw)
        if cell.note:
            sh.ws.cell(row=cell.row, column=cell.col).comment = Comment(xml_text(cell.note), NOTE_AUTHOR,
                                                                        width=260, height=70)
    sh.ws.print_title_rows = f"{table.indicator_header_row}:{table.indicator_header_row}"
    if table.signature_row:
        sh.ws.row_dimensions[table.signature_row].height = 36
    sh.last_row = table.last_row


def _write(sh: Sheet, ev: Evaluation) -> None:
    write_table(sh, report_self_table(ev))


#: Table layouts by name; a rule set chooses one (see :func:`layout_name`).
LAYOUTS: dict[str, Layout] = {
    "national": Layout("national", "财预〔2020〕10号项目支出绩效自评表",
                       (10, 14, 24, 14, 14, 10, 10, 30), _write),
    "sichuan": Layout("sichuan", "四川省部门预算项目支出绩效自评表",
                      (10, 14, 22, 12, 12, 10, 16, 8, 8, 28), _write),
}
DEFAULT_LAYOUT = "national"


def layout_name(ev: Evaluation) -> str:
    """The layout the evaluation's rule set names (``table_layout``)."""
    return ev.rules.table_layout


__all__ = ["DEFAULT_LAYOUT", "LAYOUTS", "Layout", "NATIONAL_FUNDS", "NATIONAL_INDICATORS", "NATIONAL_SOURCES",
           "SICHUAN_CLOSING", "SICHUAN_CLOSING_LIMIT", "SICHUAN_FUNDS", "SICHUAN_INDICATORS", "SICHUAN_SOURCES",
           "closing_texts", "completion_summary", "fit_text", "layout_name", "report_self_table", "split_target",
           "write_table"]
