"""The notebook's fingerprint: what JupyterLab adds when it opens, runs and saves a notebook leaves
it unchanged (the batch still considers every report up to date); an edited cell or tag changes it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import SEED_SAMPLE
from selfeval_lib.batch.fingerprint import notebook_fingerprint
from selfeval_lib.batch.plan import make_plan
from selfeval_lib.batch.run import run_batch
from selfeval_lib.resources import REPORT_NOTEBOOK
from selfeval_lib.runner.options import RunOptions


def _saved_by_jupyterlab(source: Path, target: Path) -> None:
    """What a Run All and a save in JupyterLab 4 do to a notebook file: cell ids, outputs, execution
    counts, kernel metadata, source split into lines, one-space indentation."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
    for number, cell in enumerate(nb["cells"], 1):
        cell["id"] = f"cell-{number}"
        cell.setdefault("metadata", {})["jp-MarkdownHeadingCollapsed"] = False
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = text.splitlines(keepends=True)
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {"text/html": [f"<table><tr><td>{number}</td></tr></table>"]}}]
    target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def test_a_notebook_run_and_saved_keeps_its_fingerprint(tmp_path: Path) -> None:
    saved = tmp_path / "saved.ipynb"
    _saved_by_jupyterlab(REPORT_NOTEBOOK, saved)
    assert hashlib.sha256(saved.read_bytes()).digest() != hashlib.sha256(REPORT_NOTEBOOK.read_bytes()).digest()
    assert notebook_fingerprint(saved) == notebook_fingerprint(REPORT_NOTEBOOK)


def test_an_edited_cell_or_tag_changes_the_fingerprint(tmp_path: Path) -> None:
    nb = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
    code.source += "\nprint('多一行')"
    nbformat.write(nb, tmp_path / "edited.ipynb")
    nb = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    nb.cells[-1].metadata["tags"] = []  # an exploration cell would now go into the report
    nbformat.write(nb, tmp_path / "retagged.ipynb")
    prints = {notebook_fingerprint(p) for p in (REPORT_NOTEBOOK, tmp_path / "edited.ipynb", tmp_path / "retagged.ipynb")}
    assert len(prints) == 3


@pytest.mark.integration
def test_the_batch_keeps_its_reports_after_the_notebook_is_saved(tmp_path: Path) -> None:
    notebook = tmp_path / "selfeval_report.ipynb"
    shutil.copy(REPORT_NOTEBOOK, notebook)
    params = tmp_path / "params"
    params.mkdir()
    shutil.copy(SEED_SAMPLE, params / SEED_SAMPLE.name)
    options = RunOptions(formats=("html",), notebook=notebook)
    out = tmp_path / "out"
    first = run_batch([params], out, options, jobs=1)
    assert first.ok and len(first.outcomes) == 1

    _saved_by_jupyterlab(REPORT_NOTEBOOK, notebook)
    plan = make_plan([params], out, options)
    assert (len(plan.to_run), len(plan.up_to_date)) == (0, 1)

    nb = nbformat.read(notebook, as_version=4)
    nb.cells[-1].source += "\n1 + 1"
    nbformat.write(nb, notebook)
    plan = make_plan([params], out, options)
    assert (len(plan.to_run), len(plan.up_to_date)) == (1, 0)


def test_a_file_that_is_not_a_notebook_is_hashed_as_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.ipynb"
    path.write_bytes(b"not json")
    assert notebook_fingerprint(path) == hashlib.sha256(b"not json").hexdigest()
