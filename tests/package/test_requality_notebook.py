"""The requality notebook: one parameters cell, no stored outputs, and a run under papermill."""

from __future__ import annotations

import shutil

import pytest

from selfeval_lib.resources import REQUALITY_NOTEBOOK as NOTEBOOK

from conftest import ROOT

PARAMS = ROOT / "params" / "2023" / "dongqu-yjglj-slfh.yaml"


def test_notebook_has_parameters_and_no_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and 'rules = "district"' in params[0].source
    assert 'input_path = ""' in params[0].source  # the bundled example, wherever the notebook is
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.integration
def test_notebook_runs_under_papermill(tmp_path):
    import papermill

    shutil.copy(PARAMS, tmp_path / PARAMS.name)
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "采购风力灭火机-验收单.pdf").write_bytes(b"x")
    out = papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"),
                                     parameters={"input_path": str(tmp_path), "rules": "district"},
                                     kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                     for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert "读取 1 项自评" in text and "采购风力灭火机-验收单.pdf" in text
    assert "无佐证材料" in text and "复核得分" in text
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
