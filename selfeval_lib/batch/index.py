"""A product's index of a year, from the batch state: one row per recorded run of the product
(with its run parameters: the monitoring's month) whose params file still exists and whose folder
still holds its report — ``<out>/<year>/index.html``, ``portfolio.csv`` and ``portfolio.xlsx`` for
the self-evaluation, ``monitoring-MM.html`` and ``.xlsx`` for the monitoring — rewritten only when
their content changes.

Which columns, links, order and files are the product's (:class:`~selfeval_lib.runner.product.Index`);
the rows' figures come from each run's metrics, kept in the state with its outcome; the files'
bytes are ``render``'s (:mod:`selfeval_lib.render.portfolio_index`,
:mod:`selfeval_lib.render.monitoring_index`), where user text is escaped in HTML, stored as text in
Excel and neutralised in CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfeval_lib.files.atomic import write_file
from selfeval_lib.runner.product import Product

__all__ = ["index_rows", "write_index"]


def index_rows(state: dict[str, dict[str, Any]], year: int, product: Product,
               folders: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """Rows of every recorded run of ``product`` in ``year`` whose params file still exists (a
    failed one has no figures: its cells are None), in the product's order. With ``folders`` (the
    state's record of which params file each report folder holds), a successful run whose folder
    was since written from another params file is left out: its row would link to another report."""
    index = product.index
    rows = []
    for entry in (entry for _, entry in sorted(state.items())):
        params = entry.get("params", "")
        if entry.get("year") != year or not product.owns(entry) or not Path(params).is_file():
            continue
        producer = (folders or {}).get(entry.get("out_dir", ""))
        if entry["status"] == "ok" and producer is not None and producer.get("params") != params:
            continue
        row = {key: None for key in index.columns}
        row |= {**entry.get("row", {}), "status": entry["status"], "error": entry.get("error", ""),
                "id": entry["project_id"], "name": entry.get("name", ""), "unit": entry.get("unit", ""), "year": year}
        folder = entry["out_dir"].split("/", 1)[-1]
        row["links"] = [(label, f"{folder}/{product.renderers.names[fmt]}")
                        for fmt, label in index.links.items() if fmt in entry.get("formats", ())]
        row["links"] += [(label, f"{folder}/{name}") for name, label in index.always_links.items()]
        rows.append(row)
    return rows if index.order is None else sorted(rows, key=index.order)


def write_index(out_root: Path, year: int, product: Product, state: dict[str, dict[str, Any]],
                folders: dict[str, dict[str, str]] | None = None) -> list[Path]:
    """Write ``product``'s index files of ``year``; the files that changed (call it under the
    state's lock when other processes may write the same tree)."""
    rows = index_rows(state, year, product, folders)
    folder = Path(out_root) / str(year)
    changed = []
    for name, data in product.index.files(year, rows, **product.parameters).items():
        path = folder / name
        if not (path.is_file() and path.read_bytes() == data):
            write_file(path, data)
            changed.append(path)
    return changed
