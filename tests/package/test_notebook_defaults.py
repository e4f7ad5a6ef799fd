"""Every bundled notebook runs as it is wherever it is copied (``selfeval notebooks``): a path in its
parameters cell is empty, meaning the bundled example, never a path into a checkout."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from selfeval_lib.resources import data_dir, example_params, example_review_table

NOTEBOOKS = sorted((data_dir() / "notebooks").glob("*.ipynb"))
PATH_PARAMETERS = {"params_path", "table_path", "input_path", "out_root", "evaluation_path", "overrides_path"}


def _defaults(path: Path) -> dict[str, object]:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {t.id: ast.literal_eval(node.value) for node in ast.parse(cell.source).body
            if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}


def test_every_notebook_is_found():
    assert {p.name for p in NOTEBOOKS} >= {"selfeval_report.ipynb", "monitoring_report.ipynb", "requality.ipynb",
                                           "review_table.ipynb", "portfolio_overview.ipynb"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_default_path_points_into_a_checkout(notebook: Path):
    defaults = _defaults(notebook)
    paths = {k: v for k, v in defaults.items() if k in PATH_PARAMETERS}
    assert paths, notebook
    assert all(v in ("", None) for v in paths.values()), paths


def test_the_bundled_examples_are_files():
    assert example_params().is_file() and example_review_table().is_file()
