"""The review notebook: one parameters cell, no stored outputs, and a run under papermill over a
workbook of two layouts."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from review_workbooks import NATIONAL, SICHUAN, write_national, write_sichuan

from selfeval_lib.resources import REVIEW_NOTEBOOK as NOTEBOOK


def test_notebook_has_parameters_and_no_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert 'table_path = ""' in params[0].source  # the bundled example table, wherever the notebook is
    assert 'rule_set = "national"' in params[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.integration
def test_notebook_runs_under_papermill(tmp_path):
    import papermill

    workbook = tmp_path / "book.xlsx"
    wb = Workbook()
    write_national(wb.active, NATIONAL)
    write_sichuan(wb.create_sheet("四川"), SICHUAN)
    wb.save(workbook)
    out = papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"),
                                     parameters={"table_path": str(workbook), "rule_set": "sichuan"},
                                     kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                     for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert "读取 2 张表" in text
    assert "EXECUTION_REASON_MISSING" in text
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
