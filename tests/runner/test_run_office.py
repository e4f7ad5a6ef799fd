"""`selfeval run --formats xlsx,docx`: the Office files beside the others, without a kernel."""

from pathlib import Path

from selfeval_lib.runner import run as run_module
from selfeval_lib.runner.run import run_report
from selfeval_lib.runner.options import RunOptions, parse_formats

from conftest import SEED_SAMPLE


def test_office_formats_need_no_notebook(tmp_path, monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("the notebook must not run for xlsx/docx only")

    monkeypatch.setattr(run_module, "execute_notebook", no_kernel)
    result = run_report(SEED_SAMPLE, tmp_path, RunOptions(formats=parse_formats("docx,xlsx")))
    names = sorted(p.name for p in result.files)
    assert names == sorted(["自评表.xlsx", "report.docx", "metrics.json", "checklist.html"])
    assert all(Path(p).stat().st_size > 1000 for p in result.files)
    assert "execute" not in result.timings
