"""The year's index: ``<out>/<year>/index.html``, ``portfolio.csv`` and ``portfolio.xlsx``,
one row per recorded project of the year, rewritten only when their content changes.

The page (one offline file) also shows the year's totals (:func:`portfolio_totals`), the grade
distribution and the execution rates by band (:data:`EXECUTION_BANDS`) as bar charts, and a
filter by 主管部门 and 等级 that recomputes the totals and charts for the projects shown.

Rows are built from each report's metrics summary (see :func:`summary_row`), kept in the batch
state; amounts in 万元 (two decimals) and rates as percentages for display, numbers kept for
sorting. User text (names, units, grades, messages) is stored as text, never as a formula, in
Excel, and neutralised in CSV (:mod:`selfeval_lib.files.cells`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from selfeval_lib.core import formatting as fmt
from selfeval_lib.files.atomic import write_file
from selfeval_lib.files.cells import append_row, csv_bytes
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.inputs.rulesets import rules_label
from selfeval_lib.render.cell_texts import GRADE_RANK, index_cell
from selfeval_lib.render.templating import render
from selfeval_lib.runner.options import CHECKLIST_FILE, FILE_NAMES

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
#: What the index links, and how it labels the link.
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "xlsx": "自评表", "docx": "Word"}


def summary_row(metrics: dict[str, Any]) -> dict[str, Any]:
    """The index row of one report, from its metrics (``to_dict`` of the evaluation)."""
    funds, scores = metrics["funds"], metrics["scores"]
    codes = Counter(f["code"] for f in metrics["findings"])
    return {
        "year": metrics["project"]["year"],
        "id": metrics["project"]["id"],
        "name": metrics["project"]["name"],
        "unit": metrics["project"]["unit"],
        "department": metrics["project"].get("department"),
        "budget_wan": float(fmt.wan_value(funds["budget_full_year"])),  # rounded as the report shows it
        "executed_wan": float(fmt.wan_value(funds["executed"])),
        "execution_rate": funds["execution_rate"],
        "total": fmt.round_half_up(scores["total"]),
        "grade": scores["grade"],
        "findings": len(metrics["findings"]),
        "placeholders": metrics.get("checklist", {}).get("placeholders"),
        "finding_codes": dict(sorted(codes.items())),
        "rule_set": rule_set_cell(metrics),
    }


def rule_set_cell(metrics: dict[str, Any]) -> str | None:
    """The rule set that scored a report and where it came from (its metrics' provenance), as the
    index shows it: ``全国通用（内置）`` or ``某市规则（/data/rules/city.yaml）``."""
    prov = metrics.get("provenance") or {}
    if not prov.get("rules_title"):
        return None
    return rules_label(prov["rules_title"], prov.get("rules_file", ""))


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


def index_rows(state: dict[str, dict[str, Any]], year: int,
               folders: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """Rows of every recorded project of ``year`` whose params file still exists (a failed one
    has no figures: its cells are None). With ``folders`` (the state's record of which params
    file each report folder holds), a successful project whose folder was since written from
    another params file is left out: its row would link to another report."""
    rows = []
    for key, entry in sorted(state.items()):
        if entry.get("year") != year or entry.get("month") is not None or not Path(key).is_file():
            continue  # monitoring runs have an index of their own (:mod:`.monitor_index`)
        producer = (folders or {}).get(entry.get("out_dir", ""))
        if entry["status"] == "ok" and producer is not None and producer.get("params") != key:
            continue
        row = {key: None for _, key, _ in COLUMNS}
        row |= {**entry.get("row", {}), "status": entry["status"], "error": entry.get("error", ""),
                "id": entry["project_id"], "name": entry.get("name", ""), "unit": entry.get("unit", ""), "year": year}
        project_dir = entry["out_dir"].split("/", 1)[-1]
        row["links"] = [(LINK_LABELS[name], f"{project_dir}/{FILE_NAMES[name]}")
                        for name in entry.get("formats", ()) if name in LINK_LABELS]
        row["links"].append(("自查清单", f"{project_dir}/{CHECKLIST_FILE}"))
        rows.append(row)
    return rows


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    write_file(path, data)
    return True


def write_index(out_root: Path, year: int, state: dict[str, dict[str, Any]],
                folders: dict[str, dict[str, str]] | None = None) -> list[Path]:
    """Write the year's index.html, portfolio.csv and portfolio.xlsx; return those that changed
    (call it under the state's lock when other processes may write the same tree)."""
    rows = index_rows(state, year, folders)
    folder = Path(out_root) / str(year)
    files = {
        folder / "index.html": index_html(year, rows).encode("utf-8"),
        folder / "portfolio.csv": portfolio_csv(rows),
        folder / "portfolio.xlsx": portfolio_xlsx(year, rows),
    }
    return [path for path, data in files.items() if _write_if_changed(path, data)]
