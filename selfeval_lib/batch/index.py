"""The year's index: ``<out>/<year>/index.html``, ``portfolio.csv`` and ``portfolio.xlsx``,
one row per recorded project of the year, rewritten only when their content changes.

The page and the two tables are written by :mod:`selfeval_lib.render.portfolio_index` (the
year's totals, the grade and execution-band charts, the filter by 主管部门 and 等级); this module
gathers the rows and writes the files.

Rows are built from each report's metrics summary (see
:func:`~selfeval_lib.runner.products.summary_row`), kept in the batch state; amounts in 万元 (two decimals) and rates as percentages for display, numbers kept for
sorting. User text (names, units, grades, messages) is stored as text, never as a formula, in
Excel, and neutralised in CSV (:mod:`selfeval_lib.files.cells`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfeval_lib.files.atomic import write_file
from selfeval_lib.render.portfolio_index import COLUMNS, index_html, portfolio_csv, portfolio_xlsx
from selfeval_lib.render.registry import CHECKLIST_FILE, REPORT

#: What the index links, and how it labels the link.
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "xlsx": "自评表", "docx": "Word"}


def index_rows(state: dict[str, dict[str, Any]], year: int,
               folders: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """Rows of every recorded project of ``year`` whose params file still exists (a failed one
    has no figures: its cells are None). With ``folders`` (the state's record of which params
    file each report folder holds), a successful project whose folder was since written from
    another params file is left out: its row would link to another report."""
    rows = []
    for key, entry in sorted(state.items()):
        if entry.get("year") != year or entry.get("product") != "report" or not Path(key).is_file():
            continue  # monitoring runs have an index of their own (:mod:`.monitor_index`)
        producer = (folders or {}).get(entry.get("out_dir", ""))
        if entry["status"] == "ok" and producer is not None and producer.get("params") != key:
            continue
        row = {key: None for _, key, _ in COLUMNS}
        row |= {**entry.get("row", {}), "status": entry["status"], "error": entry.get("error", ""),
                "id": entry["project_id"], "name": entry.get("name", ""), "unit": entry.get("unit", ""), "year": year}
        project_dir = entry["out_dir"].split("/", 1)[-1]
        row["links"] = [(LINK_LABELS[name], f"{project_dir}/{REPORT.names[name]}")
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
