"""The warm kernel's namespace reset between two notebooks."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell

from selfeval_lib.runner.kernel import WarmKernel
from selfeval_lib.runner.namespace import reset_namespace


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    """An in-process IPython shell, removed afterwards (other tests display without one)."""
    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()


@pytest.mark.integration
def test_reset_clears_names_and_output_history_and_restores_gc(shell: InteractiveShell) -> None:
    shell.run_cell("secret = 41", store_history=True)
    shell.run_cell("secret + 1", store_history=True)
    assert shell.user_ns["_"] == 42
    collect = gc.collect
    reset_namespace(shell)
    assert "secret" not in shell.user_ns
    assert shell.user_ns.get("_", "") == "" and not shell.user_ns["Out"]
    assert gc.collect is collect
    assert shell.run_cell("print('ok')").success  # the namespace still works (builtins, get_ipython)


def test_reset_restores_gc_when_the_reset_fails() -> None:
    class Broken:
        def reset(self, new_session: bool) -> None:
            raise RuntimeError("broken")

    collect = gc.collect
    try:
        reset_namespace(Broken())
    except RuntimeError:
        pass
    assert gc.collect is collect


@pytest.mark.integration
def test_a_name_of_one_notebook_is_gone_in_the_next(tmp_path: Path) -> None:
    def notebook(name: str, source: str) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell(source)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = tmp_path / name
        nbformat.write(nb, path)
        return path

    first = notebook("first.ipynb", "left_behind = 'first'")
    second = notebook("second.ipynb", "print('left_behind' in globals(), x)")
    with WarmKernel(cwd=tmp_path) as kernel:
        kernel.execute(first, {"x": 1}, timeout=60)
        nb = kernel.execute(second, {"x": 2}, timeout=60)
    assert kernel.runs == 2
    assert nb.cells[-1].outputs[0]["text"] == "False 2\n"
