"""The review as an Excel workbook: a 汇总 sheet, then one sheet per table with the cells in
question filled by severity. Same input → same bytes.

Every cell is written by :mod:`selfeval_lib.files.cells`: the table's text stays text ("=5项",
"=cmd|…" are never formulas), characters XML cannot hold become U+FFFD, and a non-finite score
("inf") is shown as text."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.files.cells import put_text, put_value
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.review.present.view import (
    COLUMNS,
    FINDING_HEADINGS,
    NUMERIC_COLUMNS,
    SEVERITY_FILL,
    cell_marks,
    code_counts,
    finding_messages,
    marks_at,
    review_title,
    row_key,
    show,
    summary_rows,
    table_rows,
    tables_of,
    text_rows,
    worst,
)
from selfeval_lib.review.table import PublishedTable, Review

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
#: Column widths of a table's sheet (characters), by column key.
_WIDTHS = {"row": 8, "level1": 12, "level2": 14, "name": 24, "target": 18, "actual": 22, "weight": 8,
           "published": 10, "recomputed": 10, "reason": 36}


def _sheet_title(base: str, used: set[str]) -> str:
    """A valid, unused sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", xml_text(base)).strip("'") or "表"
    title = base[:31]
    n = 2
    while title in used:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def review_xlsx(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None = None) -> bytes:
    """An Excel workbook: a 汇总 sheet, then one sheet per table reproducing its rows with the
    published and recomputed scores; cells in question filled red/orange/yellow by severity with a
    comment holding the messages, and the findings listed below. Same input → same bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    reviews = list(reviews)
    tables = tables_of(reviews, tables)
    wb = Workbook()
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    fills = {sev: PatternFill("solid", fgColor=color) for sev, color in SEVERITY_FILL.items()}
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws, row: int, labels: Sequence[str]) -> None:
        for col, label in enumerate(labels, start=1):
            cell = put_text(ws.cell(row, col), label)
            cell.font, cell.fill = header_font, header_fill

    summary = wb.active
    summary.title = "汇总"
    used = {"汇总"}
    labels = ("表", "工作表名", "填报总分", "复核总分", "填报等级", "复核等级", "高", "中", "低")
    header(summary, 1, labels)
    titles = []
    for review, table in zip(reviews, tables):
        titles.append(_sheet_title(f"{len(titles) + 1}-{(table.project.name if table and table.project.name else review.source)}", used))
    for i, (row, title) in enumerate(zip(summary_rows(reviews, tables), titles), start=2):
        values = [row["表"], title, row["填报总分"], row["复核总分"], row["填报等级"], row["复核等级"], row["高"], row["中"], row["低"]]
        for col, value in enumerate(values, start=1):
            put_value(summary.cell(i, col), value)
    counts = code_counts(reviews)
    start = len(reviews) + 3
    if counts:
        header(summary, start, ("代码", "级别", "次数"))
        for j, (code, sev, n) in enumerate(counts, start=start + 1):
            put_text(summary.cell(j, 1), code)
            put_text(summary.cell(j, 2), SEVERITY_ZH[sev]).fill = fills[sev]
            put_value(summary.cell(j, 3), n)
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 24
    summary.freeze_panes = "A2"

    for review, table, title in zip(reviews, tables, titles):
        ws = wb.create_sheet(title)
        put_text(ws.cell(1, 1), review_title(review, table)).font = Font(bold=True, size=13)
        header(ws, 2, [h for _, h in COLUMNS])
        marks = cell_marks(review, table)
        r = 3
        for entry in table_rows(review, table):
            key = row_key(entry["row"])
            for col, (column, _) in enumerate(COLUMNS, start=1):
                value = entry[column]
                if column == "row":
                    value = value if isinstance(value, int) else show(value)
                elif column not in NUMERIC_COLUMNS:
                    value = value if isinstance(value, str) else show(value)
                elif isinstance(value, float) and math.isfinite(value):
                    value = round(value, 4)
                cell = put_value(ws.cell(r, col), value)
                cell.alignment = wrap
                found = marks_at(marks, key, column)
                if found:
                    cell.fill = fills[worst(found)]
                    cell.comment = Comment(xml_text(finding_messages(found)), "selfeval", width=320, height=120)
                if entry["kind"] == "total":
                    cell.font = Font(bold=True)
            r += 1
        texts = text_rows(review, table)
        if texts:
            r += 1
            header(ws, r, ("栏目", "表中文字"))
            for t in texts:
                r += 1
                put_text(ws.cell(r, 1), t["heading"]).font = Font(bold=True)
                cell = put_text(ws.cell(r, 2), t["text"])
                cell.alignment = wrap
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(COLUMNS))
                if t["findings"]:
                    cell.fill = fills[worst(t["findings"])]
                    cell.comment = Comment(xml_text(finding_messages(t["findings"])), "selfeval", width=320, height=120)
        r += 1
        header(ws, r, FINDING_HEADINGS)
        for f in review.findings:
            r += 1
            values = (show(f.row), f.field, f.code, SEVERITY_ZH[f.severity], show(f.published), show(f.recomputed), f.message)
            for col, value in enumerate(values, start=1):
                cell = put_value(ws.cell(r, col), value)
                cell.alignment = wrap
            ws.cell(r, 4).fill = fills[f.severity]
        if review.readings:
            r += 2
            put_text(ws.cell(r, 1), "复核口径").font = Font(bold=True)
            for reading in review.readings:
                r += 1
                put_text(ws.cell(r, 1), reading)
        for col, (column, _) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[ws.cell(2, col).column_letter].width = _WIDTHS[column]
        ws.freeze_panes = "A3"
    wb.properties.creator = "selfeval"
    return workbook_bytes(wb)
