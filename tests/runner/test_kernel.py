"""The warm kernel as a papermill engine, and the notebook fed with the parent's evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from conftest import SEED_SAMPLE
from selfeval_lib.errors import KernelTimeout, ReportError
from selfeval_lib.runner.kernel import ENGINE_NAME, WarmKernel, engine_class, register_engine
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.resources import REPORT_NOTEBOOK as NOTEBOOK
from selfeval_lib.runner.run import run_report

#: Put first in the notebook: any parse or evaluation in the kernel fails the run.
NO_REPARSE = '''
import selfeval_lib.core.evaluation as _ev, selfeval_lib.inputs.params as _params
def _forbidden(*args, **kwargs):
    raise AssertionError("the kernel parsed or evaluated the params again")
_params.load_project = _params.read_yaml = _ev.evaluate = _forbidden
'''


def test_engine_is_registered_with_papermill() -> None:
    from papermill.engines import Engine, papermill_engines

    register_engine()
    assert papermill_engines.get_engine(ENGINE_NAME) is engine_class()
    assert issubclass(engine_class(), Engine)


@pytest.mark.integration
def test_the_kernel_does_not_parse_again(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(NO_REPARSE))
    notebook = tmp_path / NOTEBOOK.name
    nbformat.write(nb, notebook)
    # On a kernel: the cell replaces functions of the process it runs in (the in-process engine's
    # own test checks the same with monkeypatch, which undoes it).
    result = run_report(SEED_SAMPLE, tmp_path / "out", RunOptions(formats=("ipynb",), notebook=notebook,
                                                                  kernel_name="python3"))
    saved = json.loads((result.out_dir / "report.ipynb").read_text(encoding="utf-8"))
    injected = next(c for c in saved["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    # The temporary file is not named in the saved notebook: it re-runs from its params alone.
    assert "evaluation_path" not in "".join(injected["source"])
    assert "evaluation_path" not in saved["metadata"]["papermill"]["parameters"]
    assert not [o for c in saved["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.integration
def test_the_notebook_still_runs_from_its_params_alone(tmp_path: Path) -> None:
    nb = papermill.execute_notebook(str(NOTEBOOK), None, parameters={"params_path": str(SEED_SAMPLE)},
                                    progress_bar=False, cwd=str(NOTEBOOK.parent), kernel_name="python3")
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_an_evaluation_of_another_project_is_refused(tmp_path: Path) -> None:
    from selfeval_lib.core.evaluation import evaluate
    from selfeval_lib.inputs.params import load_project
    from selfeval_lib.render.notebook import open_report
    from selfeval_lib.report.handoff import Handoff, params_name, save_handoff

    loaded = load_project(SEED_SAMPLE)
    path = tmp_path / "ev.pickle"
    save_handoff(path, Handoff("report", params_name(SEED_SAMPLE), {}, loaded, evaluate(loaded.project_year, loaded.rules)))
    assert open_report(SEED_SAMPLE, evaluation_path=path).evaluation.total > 0
    with pytest.raises(ReportError, match="不属于"):
        open_report(tmp_path / "other.yaml", evaluation_path=path)


@pytest.mark.integration
def test_a_cell_past_the_limit_is_a_kernel_timeout(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import time\ntime.sleep(30)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = tmp_path / "slow.ipynb"
    nbformat.write(nb, notebook)
    with WarmKernel(cwd=tmp_path) as kernel:
        with pytest.raises(KernelTimeout) as info:
            kernel.execute(notebook, {"x": 2}, timeout=2)
        assert isinstance(info.value, ReportError) and info.value.seconds == 2
        assert kernel.km is None  # stopped; the next notebook gets a new kernel
