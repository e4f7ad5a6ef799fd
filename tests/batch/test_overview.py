"""Portfolio: index rows and files, the analysis tables, and the overview notebook under papermill."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pandas as pd
import papermill
import pytest
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import evaluate, to_dict
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render import portfolio_index
from selfeval_lib.runner.products import summary_row
from selfeval_lib.batch import overview
from selfeval_lib.resources import OVERVIEW_NOTEBOOK

from conftest import SAMPLES


@pytest.fixture(scope="module")
def metrics() -> list[dict]:
    out = []
    for path in SAMPLES:
        loaded = load_project(path)
        out.append(to_dict(evaluate(loaded.project_year, loaded.rules)))
    return out


@pytest.fixture(scope="module")
def out_root(tmp_path_factory, metrics) -> Path:
    """metrics.json of the samples for 2023, and of the seed project again as 2024 (a trend)."""
    root = tmp_path_factory.mktemp("outputs")
    later = copy.deepcopy(next(m for m in metrics if m["project"]["id"] == "dongqu-yjglj-ydhs"))
    later["project"]["year"] = 2024
    later["scores"]["total"] = 95.0
    for m in metrics + [later]:
        folder = root / str(m["project"]["year"]) / m["project"]["id"]
        folder.mkdir(parents=True)
        (folder / "metrics.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    return root


def test_summary_rows_come_from_the_metrics(metrics):
    rows = {r["id"]: r for r in map(summary_row, metrics)}
    seed = rows["dongqu-yjglj-ydhs"]
    assert seed["budget_wan"] == 8.62 and seed["execution_rate"] == 1.0 and seed["grade"] == "优"
    assert seed["findings"] == len(next(m for m in metrics if m["project"]["id"] == "dongqu-yjglj-ydhs")["findings"])


def test_index_files_have_the_same_rows(metrics):
    rows = [{**summary_row(m), "status": "ok", "error": "", "links": [("HTML", f"{m['project']['id']}/report.html")]}
            for m in metrics]
    rows.append({"id": "broken", "name": "<script>x</script>", "unit": "某单位", "status": "failed",
                 "error": "参数错误", "links": [], **{k: None for k in ("budget_wan", "execution_rate", "total",
                                                                      "grade", "findings")}})
    html = portfolio_index.index_html(2023, rows)
    assert 'lang="zh-CN"' in html and "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert "dongqu-yjglj-ydhs/report.html" in html and "失败" in html
    table = list(csv.reader(io.StringIO(portfolio_index.portfolio_csv(rows).decode("utf-8-sig"))))
    assert table[0][:3] == ["项目编号", "项目名称", "实施单位"] and len(table) == len(rows) + 1
    sheet = load_workbook(io.BytesIO(portfolio_index.portfolio_xlsx(2023, rows))).active
    assert sheet.max_row == len(rows) + 1
    score = [c.value for c in sheet[1]].index("总分") + 1
    totals = {sheet.cell(r, 1).value: sheet.cell(r, score).value for r in range(2, sheet.max_row + 1)}
    assert totals["dongqu-yjglj-ydhs"] == 100 and totals["broken"] is None
    assert portfolio_index.portfolio_xlsx(2023, rows) == portfolio_index.portfolio_xlsx(2023, rows)


def test_analysis_tables(metrics, out_root):
    frame = overview.portfolio_frame(metrics)
    grades = overview.grade_distribution(frame, overview.report_rules(metrics))
    assert grades["项目数"].sum() == len(metrics) and list(grades["等级"]) == ["优", "良", "中", "差"]
    frequent = overview.finding_frequency(metrics)
    assert frequent["涉及项目数"].is_monotonic_decreasing
    ranking = overview.unit_ranking(frame)
    assert ranking["项目数"].sum() == len(metrics)
    halves = pd.DataFrame({"项目编号": ["a", "b"], "实施单位": ["甲", "乙"], "全年预算（万元）": [8.625, 1.0],
                           "执行率": [0.12345, 1.0], "总分": [97.125, 90.0]})
    first = overview.unit_ranking(halves).iloc[0]  # half up, as every figure (pandas rounds half to even)
    assert (first["预算合计万元"], first["平均执行率"], first["平均总分"]) == (8.63, 0.1235, 97.13)
    trend = overview.score_trend(overview.portfolio_frame(overview.load_all_years(out_root)))
    assert list(trend["项目编号"]) == ["dongqu-yjglj-ydhs"] and trend[2024].iloc[0] == 95.0


def test_load_metrics_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="selfeval batch"):
        overview.load_metrics(tmp_path, 2023)


@pytest.mark.integration
def test_overview_notebook_runs_under_papermill(out_root):
    nb = papermill.execute_notebook(str(OVERVIEW_NOTEBOOK), None, parameters={"year": 2023, "out_root": str(out_root)},
                                    progress_bar=False, cwd=str(OVERVIEW_NOTEBOOK.parent), kernel_name="python3")
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "Glyph" not in stderr and "missing from" not in stderr
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3   # scores, execution rates, trend


def test_index_files_store_user_text_as_text(metrics):
    """A project named like a formula is text in portfolio.xlsx and neutralised in portfolio.csv."""
    hostile = {"name": '=HYPERLINK("http://x","y")', "unit": "=1+1", "grade": "@SUM(A1)", "error": "-2+3",
               "id": "+cmd"}
    rows = [{**summary_row(metrics[0]), "status": "failed", "links": [], **hostile}]
    ws = load_workbook(io.BytesIO(portfolio_index.portfolio_xlsx(2023, rows))).active
    header = [c.value for c in ws[1]]
    cells = {label: ws.cell(row=2, column=header.index(label) + 1)
             for label in ("项目编号", "项目名称", "实施单位", "等级", "错误")}
    assert {label: (c.data_type, c.value) for label, c in cells.items()} == {
        "项目编号": ("s", "+cmd"), "项目名称": ("s", '=HYPERLINK("http://x","y")'), "实施单位": ("s", "=1+1"),
        "等级": ("s", "@SUM(A1)"), "错误": ("s", "-2+3")}
    assert isinstance(ws.cell(row=2, column=header.index("总分") + 1).value, float)  # numbers stay numbers
    table = list(csv.DictReader(io.StringIO(portfolio_index.portfolio_csv(rows).decode("utf-8-sig"))))
    assert table[0]["项目名称"] == "'=HYPERLINK(\"http://x\",\"y\")" and table[0]["实施单位"] == "'=1+1"
    assert table[0]["项目编号"] == "'+cmd" and table[0]["等级"] == "'@SUM(A1)" and table[0]["错误"] == "'-2+3"
