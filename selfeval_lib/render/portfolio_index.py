"""The year's index as bytes: the page ``index.html`` (offline, sortable, with the year's totals
(:func:`portfolio_totals`), the grade distribution and the execution rates by band
(:data:`EXECUTION_BANDS`) as bar charts, and a filter by 主管部门 and 等级 that recomputes the
totals and charts for the projects shown), ``portfolio.csv`` and ``portfolio.xlsx``, from the
rows :mod:`selfeval_lib.batch.index` gathers.

Amounts in 万元 (two decimals) and rates as percentages for display, numbers kept for sorting.
User text (names, units, grades, messages) is escaped in HTML, stored as text, never as a formula,
in Excel, and neutralised in CSV (:mod:`selfeval_lib.files.cells`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from selfeval_lib.core import formatting as fmt
from selfeval_lib.files.cells import append_row, csv_bytes
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.render.cell_texts import GRADE_RANK, index_cell
from selfeval_lib.render.templating import render

#: (label, key, kind) of the index columns, in order; the same columns go to CSV and Excel.
COLUMNS = (
    ("项目编号", "id", "text"),
    ("项目名称", "name", "text"),
    ("实施单位", "unit", "text"),
    ("主管部门", "department", "text"),
    ("全年预算（万元）", "budget_wan", "num"),
    ("执行率", "execution_rate", "num"),
    ("总分", "total", "num"),
    ("等级", "grade", "text"),
    ("问题数", "findings", "num"),
    ("待补充", "placeholders", "num"),
    ("规则集", "rule_set", "text"),
    ("状态", "status", "text"),
)
#: The bar of a project that has no grade (its report failed) in the grade chart.
NO_GRADE = "未生成"
#: The execution-rate bands of the index's chart: (lower bound inclusive, label), ascending; a
#: rate falls in the last band whose bound it reaches (rates are fractions: 1.0 = 100%).
EXECUTION_BANDS = ((0.0, "60%以下"), (0.6, "60%–80%"), (0.8, "80%–90%"), (0.9, "90%–100%"), (1.0, "100%"))


def _sorted(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows by unit and id, each with every column (a column a row lacks is None, shown "—")."""
    empty = dict.fromkeys((key for _, key, _ in COLUMNS), None)
    return sorted((empty | r for r in rows), key=lambda r: (r.get("unit") or "", r["id"]))


def execution_band(rate: float) -> str:
    """The label of the :data:`EXECUTION_BANDS` band a rate (a fraction) falls in."""
    return [label for bound, label in EXECUTION_BANDS if rate >= bound - 1e-12][-1] if rate >= 0 else EXECUTION_BANDS[0][1]


def portfolio_totals(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The figures above the index table for ``rows``: projects, the budget and the spending in
    万元 (sums of the rows' rounded figures) and the execution rate they give, the mean 总分, the
    projects by grade (best first, then :data:`NO_GRADE`) and by execution band. Amounts and the
    rate count only projects that have both figures."""
    rows = list(rows)
    with_funds = [r for r in rows if r.get("budget_wan") is not None and r.get("executed_wan") is not None]
    budget = fmt.round_half_up(sum(r["budget_wan"] for r in with_funds))
    executed = fmt.round_half_up(sum(r["executed_wan"] for r in with_funds))
    scores = [r["total"] for r in rows if r.get("total") is not None]
    grades = Counter(r.get("grade") if r.get("grade") in GRADE_RANK else NO_GRADE for r in rows)
    bands = Counter(execution_band(r["execution_rate"]) for r in rows if r.get("execution_rate") is not None)
    return {
        "count": len(rows),
        "budget_wan": budget,
        "executed_wan": executed,
        "execution_rate": executed / budget if budget > 0 else None,
        "mean_total": sum(scores) / len(scores) if scores else None,
        "grades": [(grade, grades[grade]) for grade in (*sorted(GRADE_RANK, key=GRADE_RANK.get, reverse=True), NO_GRADE)],
        "bands": [(label, bands[label]) for _, label in EXECUTION_BANDS],
    }


def index_html(year: int, rows: Iterable[dict[str, Any]]) -> str:
    """The year's index page: offline, self-contained, sortable, with totals, the two charts and
    the filter by 主管部门 and 等级; links to each report."""
    rows = _sorted(rows)
    totals = portfolio_totals(rows)
    return render("portfolio/index.html.j2",
        year=year, rows=rows, columns=COLUMNS, totals=totals,
        departments=sorted({r["department"] for r in rows if r.get("department")}),
        grades=[grade for grade, _ in totals["grades"]],
        bands=[[bound, label] for bound, label in EXECUTION_BANDS],
        ok=sum(r["status"] == "ok" for r in rows), failed=sum(r["status"] != "ok" for r in rows),
    )


def _table(rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    out = [[label for label, _, _ in COLUMNS] + ["错误"]]
    for r in _sorted(rows):
        out.append([r.get(key) if kind == "num" else index_cell(r.get(key), key) for _, key, kind in COLUMNS]
                   + [r.get("error") or ""])
    return out


def portfolio_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """The index rows as CSV (UTF-8 with BOM, so that Excel opens the Chinese correctly; a text
    beginning with = + - @ is neutralised)."""
    return csv_bytes(_table(rows))


def portfolio_xlsx(year: int, rows: Iterable[dict[str, Any]]) -> bytes:
    """The index rows as an Excel workbook (numbers as numbers, 执行率 as a percentage, text as
    text)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    table = _table(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度汇总"
    for row in table:
        append_row(ws, row)
    header_font = Font(name="等线", bold=True, color="FFFFFF")
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    keys = [key for _, key, _ in COLUMNS]
    formats = {"budget_wan": fmt.XLSX_AMOUNT, "execution_rate": fmt.XLSX_RATE, "total": fmt.XLSX_SCORE}
    for key, number_format in formats.items():
        col = keys.index(key) + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = number_format
    for col, width in zip("ABCDEFGHIJKL", (18, 36, 28, 28, 16, 10, 8, 6, 8, 8, 8, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"  # A4 landscape, one page wide, as many pages tall as needed
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "selfeval"
    return workbook_bytes(wb)


__all__ = ["COLUMNS", "EXECUTION_BANDS", "NO_GRADE", "execution_band", "index_html", "portfolio_csv",
           "portfolio_totals", "portfolio_xlsx"]
