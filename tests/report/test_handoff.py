"""The one hand-off of a run to its notebook: what the parent computed comes back whole in the
kernel, and only for the product, params file and run parameters it was computed for."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES, SEED_SAMPLE
from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.errors import ReportError
from selfeval_lib.inputs.params import load_project
from selfeval_lib.report.handoff import Handoff, load_handoff, params_name, save_handoff
from selfeval_lib.report.monitoring import MonitoringReport, load_monitoring
from selfeval_lib.report.notebook import load_report


@pytest.fixture(scope="module")
def loaded():
    return load_project(SEED_SAMPLE)


def test_the_result_comes_back_whole(loaded, tmp_path: Path) -> None:
    ev = evaluate(loaded.project_year, loaded.rules)
    path = tmp_path / "h.pickle"
    save_handoff(path, Handoff("report", params_name(SEED_SAMPLE), {}, loaded, ev))
    back = load_handoff(path, "report", SEED_SAMPLE)
    assert back.result == ev and back.loaded == loaded
    report = load_report(SEED_SAMPLE, evaluation_path=path)  # the kernel's side: nothing parsed again
    assert report.evaluation == ev


def test_the_monitoring_at_its_month(loaded, tmp_path: Path) -> None:
    july = MonitoringReport.build(loaded, 7)
    path = tmp_path / "m.pickle"
    save_handoff(path, Handoff("monitoring", params_name(SEED_SAMPLE), {"month": 7}, loaded, july))
    assert load_monitoring(SEED_SAMPLE, 7, evaluation_path=path).result == july.result
    with pytest.raises(ReportError, match="不属于参数文件 .*month = 6"):
        load_monitoring(SEED_SAMPLE, 6, evaluation_path=path)


@pytest.mark.parametrize(("product", "params", "parameters"), [
    ("monitoring", SEED_SAMPLE, {}),  # another product's
    ("report", SAMPLES[0] if SAMPLES[0] != SEED_SAMPLE else SAMPLES[1], {}),  # another params file's
    ("report", SEED_SAMPLE, {"month": 7}),  # other run parameters
])
def test_a_handoff_of_another_run_is_refused(loaded, tmp_path: Path, product, params, parameters) -> None:
    path = tmp_path / "h.pickle"
    save_handoff(path, Handoff("report", params_name(SEED_SAMPLE), {}, loaded, None))
    with pytest.raises(ReportError, match="不属于"):
        load_handoff(path, product, params, **parameters)


@pytest.mark.parametrize("content", [b"", b"not a pickle", None])
def test_an_unreadable_file_says_what_to_do(tmp_path: Path, content) -> None:
    path = tmp_path / "h.pickle"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ReportError, match="无法读取已计算的结果 .*请删除 evaluation_path 后重试"):
        load_handoff(path, "report", SEED_SAMPLE)
