"""The year's monitoring index of month N: ``<out>/<year>/monitoring-NN.html`` and
``monitoring-NN.xlsx``, one row per recorded monitoring run of that month — every project's
lights (execution, the bureau's checkpoint, indicators counted by colour), red first, sortable —
rewritten only when their content changes.

Rows come from each run's metrics (:func:`~selfeval_lib.runner.products.monitoring_row`), kept in
the batch state; the page and the workbook are written by
:mod:`selfeval_lib.render.monitoring_index`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfeval_lib.core.monitoring import LIGHT_ORDER, LIGHT_ZH
from selfeval_lib.files.atomic import write_file
from selfeval_lib.render.monitoring_index import COLUMNS, monitoring_index_html, monitoring_index_xlsx
from selfeval_lib.render.registry import MONITORING

__all__ = ["LIGHT_ZH", "monitoring_index_name", "monitoring_index_rows", "write_monitoring_index"]

LINK_LABELS = {"html": "HTML", "pdf": "PDF", "xlsx": "运行监控表", "docx": "Word"}


def monitoring_index_name(month: int, suffix: str) -> str:
    """``monitoring-07.html`` / ``.xlsx`` in the year's folder."""
    return f"monitoring-{month:02d}.{suffix}"


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
        if (entry.get("year") != year or entry.get("product") != "monitoring" or entry.get("month") != month
                or not Path(params).is_file()):
            continue
        producer = (folders or {}).get(entry.get("out_dir", ""))
        if entry["status"] == "ok" and producer is not None and producer.get("params") != params:
            continue
        row = {k: None for _, k, _ in COLUMNS}
        row |= {**entry.get("row", {}), "status": entry["status"], "error": entry.get("error", ""),
                "id": entry["project_id"], "name": entry.get("name", ""), "unit": entry.get("unit", "")}
        folder = entry["out_dir"].split("/", 1)[-1]
        row["links"] = [(LINK_LABELS[f], f"{folder}/{MONITORING.names[f]}")
                        for f in entry.get("formats", ()) if f in LINK_LABELS]
        rows.append(row)
    return sorted(rows, key=_sort_key)


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
