"""Every bundled notebook opens and runs in JupyterLab from a checkout with its default
parameters: the paths in its parameters cell resolve from its real folder
(``selfeval_lib/data/notebooks/``; the repository's ``notebooks/`` is a link to it, and a kernel's
``..`` follows the link) to the repository's files."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from selfeval_lib.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((data_dir() / "notebooks").glob("*.ipynb"))


def _defaults(path: Path) -> dict[str, object]:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {t.id: ast.literal_eval(node.value) for node in ast.parse(cell.source).body
            if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}


def test_every_notebook_is_found():
    assert {p.name for p in NOTEBOOKS} >= {"selfeval_report.ipynb", "monitoring_report.ipynb", "requality.ipynb",
                                           "review_table.ipynb", "portfolio_overview.ipynb"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_default_paths_resolve_to_the_repository(notebook: Path):
    folder = notebook.resolve().parent
    paths = {k: v for k, v in _defaults(notebook).items() if isinstance(v, str) and v.startswith("../")}
    assert paths or notebook.stem in ("portfolio_overview",), notebook
    for key, value in paths.items():
        target = (folder / value).resolve()
        assert target.is_relative_to(ROOT), (key, value)
        if key != "out_root":  # outputs/ is made by a batch
            assert target.exists(), (key, value)
