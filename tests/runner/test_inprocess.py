"""The in-process papermill engine: the notebook executed in the calling process gives the same
notebook as a kernel; errors, time limits and a fresh namespace as with a kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from conftest import ROOT, SEED_SAMPLE
from selfeval_lib.errors import CellFailed, KernelTimeout
from selfeval_lib.runner import inprocess
from selfeval_lib.runner import session as session_mod
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.resources import REPORT_NOTEBOOK as NOTEBOOK
from selfeval_lib.runner.run import run_report, strip_run_metadata

#: Cells with every kind of output a kernel gives.
CELLS = [
    "x = 1",
    "print('标准输出')\nprint('第二行')",
    "import sys\nprint('警告', file=sys.stderr)",
    "from IPython.display import HTML, Markdown, display\ndisplay(HTML('<b>表</b>'))\ndisplay(Markdown('# 标题'))",
    "x + 41",
    "import pandas as pd\npd.DataFrame({'一级指标': ['产出'] * 3, '分值': [1.5, 2.0, 3.25], **{f'列{i}': range(3) for i in range(30)}})",
    "y = x * 2",
    "",
    "y",
]


def _notebook(tmp_path: Path, cells: list[str], name: str = "nb.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 0", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _kernel_run(notebook: Path, parameters: dict) -> nbformat.NotebookNode:
    return papermill.execute_notebook(str(notebook), None, parameters, kernel_name="python3", progress_bar=False,
                                      cwd=str(notebook.parent))


def _outputs(nb: nbformat.NotebookNode) -> str:
    nb = strip_run_metadata(nb)
    return nbformat.writes(nbformat.v4.new_notebook(cells=nb.cells))


def test_registered_with_papermill() -> None:
    from papermill.engines import Engine, papermill_engines

    inprocess.register_engine()
    assert papermill_engines.get_engine(inprocess.ENGINE_NAME) is inprocess.engine_class()
    assert issubclass(inprocess.engine_class(), Engine)


@pytest.mark.integration
def test_same_outputs_as_a_kernel(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path, CELLS)
    here = inprocess.execute(notebook, {"x": 1}, timeout=60)
    kernel = _kernel_run(notebook, {"x": 1})
    assert _outputs(here) == _outputs(kernel)
    kinds = [o.output_type for c in here.cells for o in c.get("outputs", [])]
    assert kinds == ["stream", "stream", "display_data", "display_data", "execute_result", "execute_result",
                     "execute_result"]
    assert here.metadata.language_info == kernel.metadata.language_info


@pytest.mark.integration
def test_the_report_notebook_as_with_a_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``selfeval run`` executes in its own process and writes the same files as with a kernel;
    the notebook neither parses nor evaluates the params again."""
    import selfeval_lib.core.evaluation as evaluation_module
    import selfeval_lib.inputs.params as params_module

    options = RunOptions(formats=("ipynb", "html"))
    kernel = run_report(SEED_SAMPLE, tmp_path / "kernel", RunOptions(formats=("ipynb", "html"), kernel_name="python3"))

    def forbidden(*args, **kwargs):
        raise AssertionError("the notebook parsed or evaluated the params again")

    monkeypatch.setattr(session_mod, "WarmKernel", None)  # no kernel may be started
    monkeypatch.setattr(evaluation_module, "evaluate", forbidden)  # run_report holds its own reference
    monkeypatch.setattr(params_module, "load_project", forbidden)
    here = run_report(SEED_SAMPLE, tmp_path / "here", options)
    for name in ("report.ipynb", "report.html", "metrics.json"):
        assert (here.out_dir / name).read_bytes() == (kernel.out_dir / name).read_bytes(), name


@pytest.mark.integration
def test_a_failing_cell_names_the_cell(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path, ["y = 1", "raise ValueError('坏了')", "print('不应执行')"])
    with pytest.raises(papermill.PapermillExecutionError) as info:
        inprocess.execute(notebook, {"x": 1}, timeout=60)
    assert (info.value.ename, info.value.evalue, info.value.cell_index) == ("ValueError", "坏了", 3)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and 'show_part("三")' in c.source)
    nb.cells[index].source = 'raise RuntimeError("boom")\n' + nb.cells[index].source
    broken = tmp_path / NOTEBOOK.name
    nbformat.write(nb, broken)
    with pytest.raises(CellFailed) as failed:
        run_report(SEED_SAMPLE, tmp_path / "out", RunOptions(formats=("ipynb",), notebook=broken))
    assert (failed.value.cell, failed.value.ename, failed.value.evalue) == (index + 1, "RuntimeError", "boom")
    assert not list((tmp_path / "out").rglob("report.ipynb"))


@pytest.mark.integration
def test_a_cell_past_the_limit_is_stopped(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path, ["while True:\n    try:\n        pass\n    except Exception:\n        pass"])
    with pytest.raises(KernelTimeout) as info:
        inprocess.execute(notebook, {"x": 1}, timeout=1)
    assert info.value.seconds == 1
    again = inprocess.execute(_notebook(tmp_path, ["x * 3"], "ok.ipynb"), {"x": 2}, timeout=60)
    assert again.cells[-1].outputs[0].data["text/plain"] == "6"


@pytest.mark.integration
def test_each_notebook_starts_with_an_empty_namespace(tmp_path: Path) -> None:
    inprocess.execute(_notebook(tmp_path, ["leftover = 1"], "a.ipynb"), {"x": 1}, timeout=60)
    nb = inprocess.execute(_notebook(tmp_path, ["'leftover' in dir()"], "b.ipynb"), {"x": 1}, timeout=60)
    assert nb.cells[-1].outputs[0].data["text/plain"] == "False"


@pytest.mark.integration
def test_the_process_is_left_as_it_was(tmp_path: Path) -> None:
    main, stdout, stderr = sys.modules["__main__"], sys.stdout, sys.stderr
    inprocess.execute(_notebook(tmp_path, ["print(__name__)"]), {"x": 1}, timeout=60)
    assert (sys.modules["__main__"], sys.stdout, sys.stderr) == (main, stdout, stderr)


@pytest.mark.integration
def test_displays_are_outputs_after_ipythons_singleton_was_cleared(tmp_path: Path) -> None:
    """Another user of IPython in the process (a test, a library) clears its singleton shell: the
    next notebook's display() still gives display outputs, never the objects' reprs printed."""
    from IPython.core.interactiveshell import InteractiveShell

    cells = ["from IPython.display import HTML, display", "display(HTML('<b>表</b>'))"]
    inprocess.execute(_notebook(tmp_path, cells, "a.ipynb"), {"x": 1}, timeout=60)
    InteractiveShell.instance()
    InteractiveShell.clear_instance()
    nb = inprocess.execute(_notebook(tmp_path, cells, "b.ipynb"), {"x": 1}, timeout=60)
    (output,) = nb.cells[-1].outputs
    assert output.output_type == "display_data" and output.data["text/html"] == "<b>表</b>"


@pytest.mark.integration
def test_inside_a_running_ipython_a_kernel_is_used() -> None:
    """In a Jupyter kernel (an analyst's JupyterLab) ``display()`` belongs to that kernel's shell."""
    probe = ("from IPython.core.interactiveshell import InteractiveShell\n"
             "from selfeval_lib.runner import inprocess\n"
             "before = inprocess.available()\n"
             "InteractiveShell.instance()\n"
             "print(before, inprocess.available())\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "False"]
