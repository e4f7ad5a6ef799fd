"""The self-evaluation and the monitoring as descriptions: where their files go, how their runs
are keyed, which notebook they execute, and the monitoring index's order (red first)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from selfeval_lib.render.registry import METRICS_FILE
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.products import MONITORING, SELF_EVALUATION, monitoring, red_first


def test_the_two_products_are_descriptions() -> None:
    july = monitoring(7)
    assert july == MONITORING.at(month=7) and pickle.loads(pickle.dumps(july)) == july  # crosses to workers
    assert july.report_folder(2023, "p") == "2023/p/monitoring-07"
    assert SELF_EVALUATION.report_folder(2023, "p") == "2023/p"
    assert july.state_key("/x/p.yaml") == "/x/p.yaml#monitoring-07"
    assert SELF_EVALUATION.state_key("/x/p.yaml") == "/x/p.yaml"
    assert july.files(("html", "xlsx")) == ["monitoring.html", "运行监控表.xlsx", METRICS_FILE]
    assert SELF_EVALUATION.files(("html",)) == ["report.html", "checklist.html", METRICS_FILE]
    assert SELF_EVALUATION.notebook_for(RunOptions()) == SELF_EVALUATION.notebook != july.notebook
    assert july.notebook_for(RunOptions(notebook=Path("other.ipynb"))) == Path("other.ipynb")


def test_the_monitoring_index_is_red_first() -> None:
    rows = [{"status": "ok", "worst": 2, "light": "green", "red": 0, "yellow": 1, "unit": "甲", "id": "b"},
            {"status": "ok", "worst": 0, "light": "red", "red": 2, "yellow": 0, "unit": "甲", "id": "c"},
            {"status": "failed", "worst": None, "light": None, "red": None, "yellow": None, "unit": "乙", "id": "d"},
            {"status": "ok", "worst": 0, "light": "red", "red": 3, "yellow": 0, "unit": "甲", "id": "a"}]
    assert [r["id"] for r in sorted(rows, key=red_first)] == ["d", "a", "c", "b"]
    assert MONITORING.index.order is red_first and SELF_EVALUATION.index.order is None  # the writer sorts those


@pytest.mark.parametrize("month", [0, 13, "7", True, 7.0])
def test_a_month_outside_1_to_12_is_refused_however_the_monitoring_is_bound(month) -> None:
    for bind in (monitoring, lambda m: MONITORING.at(month=m)):
        with pytest.raises(ValueError, match="1–12"):
            bind(month)


def test_what_a_batch_says_of_each_product() -> None:
    """The plan's line and each run's line come from the product, not from the command."""
    assert SELF_EVALUATION.called == "报告" and monitoring(7).called == "截至7月的监控报告"
    assert SELF_EVALUATION.index.line({"total": 86.5, "grade": "良", "findings": 3}) == "总分 86.50 良 问题 3"
    assert monitoring(7).index.line({"light": "red", "red": 1, "yellow": 0}) == "预算执行红灯 红灯1 黄灯0"
