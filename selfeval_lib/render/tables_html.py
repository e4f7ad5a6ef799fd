"""The HTML of the reports' tables, the notebook shows and the HTML and PDF reports print: a
display frame of :mod:`selfeval_lib.report.tables` (:func:`frame_html`), a block of the 运行监控表
(:func:`form_table_html`) and the monitoring report's 附件 (:func:`annex_html`). Every text is
escaped; runs of equal 一级指标 / 二级指标 are one cell (:mod:`selfeval_lib.report.spans`).
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.monitoring import LIGHT_ZH, Monitoring
from selfeval_lib.render.cell_texts import LIGHT_FILLS
from selfeval_lib.report.monitoring_form import (ANNEX_TABLES, CATEGORY_COLUMNS, annex_heading, form_lights, form_rows,
                                                 head_rows)
from selfeval_lib.report.spans import MERGED_COLUMNS, merged_at, row_spans

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: A table of at most this many body rows is kept on one page, in the PDF (CSS class
#: ``keep-together``: break-inside avoid) as in Word (rows that cannot split, kept with the next).
KEEP_TOGETHER_ROWS = 15
#: ... in the PDF only when it surely fits a page: at most this many lines, a row counting the
#: lines of its longest cell at :data:`NARROWEST_LINE_CHARS` characters a line. A table taller
#: than a page cannot be kept whole, and trying leaves its caption on a page of its own.
KEEP_TOGETHER_LINES = 24
NARROWEST_LINE_CHARS = 5


def span_cell(text: str, rowspan: int) -> str:
    """An escaped HTML data cell spanning ``rowspan`` rows (see :func:`row_spans`)."""
    attribute = f' rowspan="{rowspan}"' if rowspan > 1 else ""
    return f"<td{attribute}>{escape(text, quote=True)}</td>"


def table_class(rows: list[list[str]], *, landscape: bool = False) -> str:
    """The class of a report table of body ``rows`` (cell texts): a short table that surely fits a
    page is kept on one page (:data:`KEEP_TOGETHER_ROWS`, :data:`KEEP_TOGETHER_LINES`; half the
    lines on a landscape page, whose many columns are narrow and whose body is short)."""
    lines = sum(max([1, *(-(-len(str(v)) // NARROWEST_LINE_CHARS) for v in row)]) for row in rows)
    budget = KEEP_TOGETHER_LINES // 2 if landscape else KEEP_TOGETHER_LINES
    short = len(rows) <= KEEP_TOGETHER_ROWS and lines <= budget
    return "report-table keep-together" if short else "report-table"


def frame_html(table: pd.DataFrame, merge: tuple[str, ...] = MERGED_COLUMNS) -> str:
    """A display frame as an escaped HTML table without the index (for the report); runs of equal
    values in the ``merge`` columns it has are one cell with ``rowspan``; a short table is kept
    on one page (:func:`table_class`)."""
    columns = [str(c) for c in table.columns]
    values = [["" if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v) for v in row]
              for row in table.itertuples(index=False)]
    spans = row_spans(values, merged_at(columns, merge))
    out = [f'<table class="{table_class(values)}">', "<thead>", "<tr>"]
    out += [f"<th>{escape(name, quote=True)}</th>" for name in columns]
    out += ["</tr>", "</thead>", "<tbody>"]
    for row, spans_of_row in zip(values, spans):
        out.append("<tr>" + "".join(span_cell(text, span) for text, span in zip(row, spans_of_row) if span) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _light_attrs(light: str | None) -> str:
    """The style of a cell whose figure has a light: the light's pale ground, its word as a title."""
    if not light:
        return ""
    return f' class="light light-{light}" title="{LIGHT_ZH[light]}" style="background-color: {LIGHT_FILLS[light]}"'


def form_table_html(m: Monitoring, py: ProjectYear, name: str) -> str:
    """Table ``name`` as an escaped HTML table; the indicator block's 偏差原因 a group header over
    its five columns; a run of one 一级指标 (and of one 二级指标 in it) one cell."""
    head, rows = form_rows(m, py, name)
    lights = dict(enumerate(form_lights(m, name)))
    spans = row_spans([[str(v) for v in r] for r in rows], merged_at(head))
    out = [f'<table class="{table_class([[str(v) for v in r] for r in rows], landscape=True)} monitoring-{name}">', "<thead>"]
    if name == "indicators":
        first, group = head.index(next(iter(CATEGORY_COLUMNS.values()))), len(CATEGORY_COLUMNS)
        top = [f'<th rowspan="2">{escape(h)}</th>' for h in head[:first]]
        top.append(f'<th colspan="{group}">偏差原因</th>')
        top += [f'<th rowspan="2">{escape(h)}</th>' for h in head[first + group:]]
        out += ["<tr>" + "".join(top) + "</tr>",
                "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head[first:first + group]) + "</tr>"]
    else:
        out.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>")
    out.append("</thead><tbody>")
    for r, (row, r_spans) in enumerate(zip(rows, spans)):
        at, light = lights.get(r, (-1, None))
        cells = []
        for i, (value, span) in enumerate(zip(row, r_spans)):
            if span:
                cell = span_cell(str(value), span)
                cells.append(cell.replace("<td", "<td" + _light_attrs(light), 1) if i == at and light else cell)
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def annex_html(m: Monitoring, py: ProjectYear) -> str:
    """The 附件: the 运行监控表 (its head and three blocks), on landscape pages in print."""
    title, period = annex_heading(m)
    (name_label, name), (dept_label, dept, unit_label, unit) = head_rows(m)
    out = ['<div class="annex monitoring-annex">', '<p class="annex-label">附件</p>',
           f'<p class="annex-title">{escape(title)}</p>', f'<p class="annex-subtitle">{escape(period)}</p>',
           '<table class="report-table monitoring-head"><tbody>',
           f'<tr><th>{name_label}</th><td colspan="3">{escape(name)}</td></tr>',
           f"<tr><th>{dept_label}</th><td>{escape(dept)}</td><th>{unit_label}</th><td>{escape(unit)}</td></tr>",
           "</tbody></table>"]
    for name_, caption in ANNEX_TABLES:
        out += [f'<p class="table-caption">{escape(caption)}</p>', form_table_html(m, py, name_)]
    out.append("</div>")
    return "\n".join(out)


__all__ = ["annex_html", "form_table_html", "frame_html", "span_cell", "table_class"]
