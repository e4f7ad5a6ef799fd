"""The year's monitoring index of month N: ``<out>/<year>/monitoring-NN.html`` and
``monitoring-NN.xlsx``, one row per recorded monitoring run of that month — every project's
lights (execution, the bureau's checkpoint, indicators counted by colour), red first, sortable —
rewritten only when their content changes.

Rows come from each run's metrics (:func:`monitoring_row`), kept in the batch state. User text is
escaped in HTML (Jinja autoescape) and stored as text, never as a formula, in Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.monitoring import LIGHT_ORDER, LIGHT_ZH
from selfeval_lib.batch.index import rule_set_cell
from selfeval_lib.files.atomic import write_file
from selfeval_lib.files.cells import append_row
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.render.cell_texts import COLOURS, FILLS, monitoring_cell
from selfeval_lib.render.registry import MONITORING_FILE_NAMES
from selfeval_lib.render.templating import render

__all__ = ["COLUMNS", "LIGHT_ZH", "monitoring_index_html", "monitoring_index_name", "monitoring_index_rows",
           "monitoring_index_xlsx", "monitoring_row", "write_monitoring_index"]

#: (label, key, kind) of the index columns; kind "light" shows the light's word on its colour.
COLUMNS = (
    ("项目编号", "id", "text"), ("项目名称", "name", "text"), ("实施单位", "unit", "text"),
    ("全年预算（万元）", "budget_wan", "num"), ("执行率", "execution_rate", "num"), ("序时进度", "time_progress", "num"),
    ("执行进度", "progress", "num"), ("执行亮灯", "light", "light"), ("进度要求", "checkpoint_light", "light"),
    ("全年预计执行率", "projected_rate", "num"), ("红灯指标", "red", "num"), ("黄灯指标", "yellow", "num"),
    ("绿灯指标", "green", "num"), ("蓝灯指标", "blue", "num"), ("未亮灯", "none", "num"), ("问题数", "findings", "num"),
    ("规则集", "rule_set", "text"), ("状态", "status", "text"),
)
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "xlsx": "运行监控表", "docx": "Word"}


def monitoring_index_name(month: int, suffix: str) -> str:
    """``monitoring-07.html`` / ``.xlsx`` in the year's folder."""
    return f"monitoring-{month:02d}.{suffix}"


def monitoring_row(metrics: dict[str, Any]) -> dict[str, Any]:
    """The index row of one monitoring run, from its metrics
    (:func:`selfeval_lib.report.monitoring.monitoring_metrics`)."""
    e, counts = metrics["execution"], metrics["lights"]["indicators"]
    lights = [e["light"], e["checkpoint_light"], *(k for k, n in counts.items() if n and k != "none")]
    return {
        "year": metrics["project"]["year"], "id": metrics["project"]["id"], "name": metrics["project"]["name"],
        "unit": metrics["project"]["unit"], "month": metrics["month"],
        "budget_wan": float(fmt.wan_value(e["budget_full_year"])), "execution_rate": e["execution_rate"],
        "time_progress": e["time_progress"], "progress": e["progress"], "light": e["light"],
        "checkpoint_light": e["checkpoint_light"], "projected_rate": e["projection"]["rate"],
        **{k: counts.get(k, 0) for k in ("red", "yellow", "green", "blue", "none")},
        "findings": len(metrics["findings"]),
        "worst": min((LIGHT_ORDER[x] for x in lights if x), default=len(LIGHT_ORDER)),
        "rule_set": rule_set_cell(metrics),
    }


def _sort_key(r: dict[str, Any]) -> tuple:
    """Red first: the worst light, then the execution light, more red and yellow indicators, then id."""
    worst = r.get("worst")
    execution = LIGHT_ORDER.get(r.get("light") or "", len(LIGHT_ORDER))
    return (r["status"] == "ok", len(LIGHT_ORDER) if worst is None else worst, execution, -(r.get("red") or 0),
            -(r.get("yellow") or 0), r.get("unit") or "", r["id"])


def monitoring_index_rows(state: dict[str, dict[str, Any]], year: int, month: int,
                          folders: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """Rows of every recorded monitoring run of ``year`` and ``month`` whose params file still
    exists (and whose folder still holds its report), red first; a failed one first of all."""
    rows = []
    for key, entry in sorted(state.items()):
        params = entry.get("params", "")
        if entry.get("year") != year or entry.get("month") != month or not Path(params).is_file():
            continue
        producer = (folders or {}).get(entry.get("out_dir", ""))
        if entry["status"] == "ok" and producer is not None and producer.get("params") != params:
            continue
        row = {k: None for _, k, _ in COLUMNS}
        row |= {**entry.get("row", {}), "status": entry["status"], "error": entry.get("error", ""),
                "id": entry["project_id"], "name": entry.get("name", ""), "unit": entry.get("unit", "")}
        folder = entry["out_dir"].split("/", 1)[-1]
        row["links"] = [(LINK_LABELS[f], f"{folder}/{MONITORING_FILE_NAMES[f]}")
                        for f in entry.get("formats", ()) if f in LINK_LABELS]
        rows.append(row)
    return sorted(rows, key=_sort_key)


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


def write_monitoring_index(out_root: Path, year: int, month: int, state: dict[str, dict[str, Any]],
                           folders: dict[str, dict[str, str]] | None = None) -> list[Path]:
    """Write the year's monitoring index of ``month`` (HTML and xlsx); return the files that
    changed (call it under the state's lock when other processes may write the same tree)."""
    rows = monitoring_index_rows(state, year, month, folders)
    folder = Path(out_root) / str(year)
    files = {folder / monitoring_index_name(month, "html"): monitoring_index_html(year, month, rows).encode("utf-8"),
             folder / monitoring_index_name(month, "xlsx"): monitoring_index_xlsx(year, month, rows)}
    changed = []
    for path, data in files.items():
        if not (path.is_file() and path.read_bytes() == data):
            write_file(path, data)
            changed.append(path)
    return changed
