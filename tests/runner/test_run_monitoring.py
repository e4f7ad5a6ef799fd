"""``selfeval monitor`` end to end (real kernel): the seed project monitored at month 7 shows
execution red (nothing spent against 58.33% of the year) with its projection; the outputs are
byte-identical across runs; bad input writes nothing. Also the monitoring notebook's shape and
a run of it under papermill on its own (as opened in JupyterLab)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT, SEED_SAMPLE

from selfeval_lib.core.monitoring import monitor
from selfeval_lib.inputs.params import load_project
from selfeval_lib.resources import MONITORING_NOTEBOOK
from selfeval_lib.runner.kernel import WarmKernel
from selfeval_lib.runner.run import run_monitoring
from selfeval_lib.runner.options import RunOptions

FOLDER = Path("2023") / "dongqu-yjglj-ydhs" / "monitoring-07"


def selfeval(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=240)


def _text(doc: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", doc))


@pytest.fixture(scope="module")
def seed_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed monitored at month 7 twice (ipynb, html, docx), into two output roots: on a fresh
    kernel, then on the same kernel reused (as a batch worker does)."""
    roots = []
    with WarmKernel(cwd=MONITORING_NOTEBOOK.parent) as kernel:
        for name in ("a", "b"):
            out = tmp_path_factory.mktemp(name)
            run_monitoring(SEED_SAMPLE, 7, out, RunOptions(formats=("ipynb", "html", "docx")), kernel=kernel)
            roots.append(out)
    return roots[0], roots[1]


@pytest.mark.integration
def test_seed_month_7_shows_execution_red_with_projection(seed_runs):
    out = seed_runs[0] / FOLDER
    page = (out / "monitoring.html").read_text(encoding="utf-8")
    text = _text(page)
    for heading in ("一、基本情况", "二、预算执行情况", "三、绩效目标完成情况", "四、偏差原因及纠偏措施", "五、下一步工作"):
        assert heading in text
    assert "预算执行率0%，序时进度58.33%，执行进度亮红灯" in text
    # the light is the ground of its figure's cell (执行率), with its word; the prose names it
    cell = re.search(r'<td class="light light-red"[^>]*>0.00%</td>', page)
    assert cell and 'title="红灯"' in cell.group() and "background-color: #f8d7da" in cell.group()
    loaded = load_project(SEED_SAMPLE)
    m = monitor(loaded.project_year, loaded.rules, 7)
    assert m.execution.light == "red"
    # the projection from the unit's 用款计划 (the December settlement), stated as the unit's
    assert "按用款计划推算，全年预计执行8.62万元，预算执行率100%" in text
    assert "图1" in text and "<img" in page and "<script" not in page and "params_path" not in page
    assert "偏差原因：按照用款计划，" in text  # the plan's basis, not an invented reason
    assert "尚无完成值【待补充：1–7月完成值】" in text  # no values given: asked for once
    assert "项目支出绩效运行监控表" in text and '<th colspan="5">偏差原因</th>' in page
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["lights"]["execution"] == "red" and metrics["month"] == 7
    assert metrics["execution"]["time_progress"] == pytest.approx(7 / 12)


@pytest.mark.integration
def test_outputs_are_byte_identical_across_runs(seed_runs):
    a, b = (root / FOLDER for root in seed_runs)
    names = sorted(p.name for p in a.iterdir())
    assert names == ["metrics.json", "monitoring.docx", "monitoring.html", "monitoring.ipynb"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.integration
def test_word_document_has_the_parts_and_coloured_lights(seed_runs):
    import docx

    doc = docx.Document(str(seed_runs[0] / FOLDER / "monitoring.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "二、预算执行情况" in text and "五、下一步工作" in text
    assert "执行进度亮红灯" in text
    funds = next(t for t in doc.tables if t.rows[0].cells[0].text == "项目")
    assert [c.text for c in funds.rows[1].cells][:6] == ["年度资金总额", "8.62", "8.62", "0.00", "0.00%", "8.62"]
    assert "F8D7DA" in funds.rows[1].cells[4]._tc.xml


@pytest.mark.integration
def test_cli_monitor_writes_the_folder(tmp_path):
    r = selfeval("monitor", SEED_SAMPLE, "--month", "7", "--out", tmp_path, "--formats", "html")
    assert r.returncode == 0, r.stderr
    assert "预算执行红灯" in r.stderr
    assert (tmp_path / FOLDER / "monitoring.html").is_file()


@pytest.mark.integration
@pytest.mark.parametrize("month", ["0", "13", "七"])
def test_month_outside_1_to_12_is_a_usage_error(tmp_path, month):
    r = selfeval("monitor", SEED_SAMPLE, "--month", month, "--out", tmp_path)
    assert r.returncode == 2
    assert "截止月份" in r.stderr and "Traceback" not in r.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.integration
def test_batch_month_outside_1_to_12_is_a_usage_error(tmp_path):
    r = selfeval("batch", SEED_SAMPLE, "--monitor", "13", "--out", tmp_path)
    assert r.returncode == 2 and "截止月份应在 1–12 之间" in r.stderr and not any(tmp_path.iterdir())


def _bad_params(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SEED_SAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.integration
@pytest.mark.parametrize("change, field", [
    (lambda d: d["indicators"][1].update(progress=[{"month": 6, "value": "2023年5月"}]), "indicators[1].progress"),
    (lambda d: d["indicators"][1].update(progress=[{"month": 6, "value": "2个"}]), "indicators[1].progress"),
])
def test_bad_monitoring_input_writes_nothing(tmp_path, change, field):
    params = _bad_params(tmp_path, change)
    out = tmp_path / "out"
    r = selfeval("monitor", params, "--month", "7", "--out", out, "--formats", "html")
    assert r.returncode == 1, r.stderr
    assert "bad.yaml" in r.stderr and field in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() or not any(out.rglob("*.html"))


def test_notebook_has_parameters_and_no_outputs():
    nb = nbformat.read(MONITORING_NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert "params_path = " in params[0].source and "month = 7" in params[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    # cells call the library and display: no business logic in the notebook
    body = [c.source for c in nb.cells if c.cell_type == "code" and "remove-from-report" not in c.metadata.get("tags", [])]
    assert all(line.startswith(("report", "from ", "#", "params_path", "month", "rule_set", "evaluation_path", ""))
               for source in body for line in source.splitlines())


@pytest.mark.integration
def test_notebook_runs_under_papermill_on_its_own(tmp_path):
    import papermill

    out = papermill.execute_notebook(str(MONITORING_NOTEBOOK), str(tmp_path / "out.ipynb"),
                                     parameters={"params_path": str(SEED_SAMPLE), "month": 6},
                                     kernel_name="python3", cwd=str(MONITORING_NOTEBOOK.parent), progress_bar=False)
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    shown = "".join(o.get("data", {}).get("text/html", "") for c in out.cells for o in c.get("outputs", []))
    assert "截至6月末" in _text(shown) and "序时进度50%" in _text(shown)
