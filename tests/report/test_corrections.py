"""Issue 15 item 5: the self-evaluation knows the mid-year monitoring. With monitoring data, its
三（三）项目监管情况 and its 自查清单 say which warnings (red or yellow mid-year) were corrected (the
year-end figure reached the target) and which were not; without, both read as before."""

from __future__ import annotations

import copy

import pytest
from conftest import BASE, SAMPLES

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.checklist import checklist_html
from selfeval_lib.report.checklist import checklist_items
from selfeval_lib.report.corrections import mid_year_warnings
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.prose import html_to_text, report_prose_problems


def _monitored(national) -> object:
    """BASE (25 000 元 paid in months 3, 5, 8 and 10 of 100 000) with a July monitoring: execution
    50% at 7/12 → 85.7 points, green; 数量 2 of ≥10个 by July → 2 / (10/12×7) = 34 points, red, and
    9 of 10 at the year's end (not reached); 质量 60% of ≥95% → 63 points, yellow, 96% at the
    end (reached); 满意度 92% by July, green."""
    data = copy.deepcopy(BASE)
    data["funds"]["monitoring"] = [{"month": 7, "reason": "按合同节点付款", "measure": "按季度支付"}]
    data["indicators"][0]["progress"] = [{"month": 7, "value": "2个", "category": "人员保障",
                                          "reason": "人员未到岗", "measure": "增派人员"}]
    data["indicators"][1]["progress"] = [{"month": 7, "value": "60%"}]
    data["indicators"][3]["progress"] = [{"month": 7, "value": "92%"}]
    return evaluate(ProjectYear.model_validate(data), national)


@pytest.fixture
def national():
    from conftest import RULES_DIR
    from selfeval_lib.inputs.params import load_rule_set

    return load_rule_set(RULES_DIR / "national.yaml")


def test_warnings_corrected_and_not(national):
    ev = _monitored(national)
    warnings = {w.subject: w for w in mid_year_warnings(ev)}
    assert set(warnings) == {"数量", "质量"}  # execution green in July: no warning
    assert (warnings["数量"].light, warnings["数量"].corrected, warnings["数量"].months) == ("red", False, (7,))
    assert (warnings["质量"].light, warnings["质量"].corrected) == ("yellow", True)


def test_report_paragraph_in_the_units_voice(national):
    ev = _monitored(national)
    text = html_to_text(render_narrative(ev)["supervision"])
    assert "开展了绩效运行监控（7月末）" in text
    assert "监控中亮红灯、黄灯2项，其中1项经纠偏已达到目标：“质量”（7月末黄灯），实际完成96%" in text
    assert "1项至年末仍未达到目标：“数量”（7月末红灯），实际完成9个，未达到年度指标值。" in text
    assert not report_prose_problems(ev, render_narrative(ev))


def test_checklist_lists_each_warning(national):
    ev = _monitored(national)
    items = [i for i in checklist_items(ev) if "绩效运行监控" in i.text]
    assert [(i.status, "已纠正" in i.text) for i in items] == [("需处理", False), ("提示", True)]
    assert all(i.where == "三（三）项目监管情况" for i in items)
    assert "年中绩效运行监控预警未纠正：“数量”（7月末红灯）" in checklist_html(ev).decode("utf-8")


def test_execution_warning_corrected_by_year_end(national):
    data = copy.deepcopy(BASE)
    data["indicators"][0]["actual"] = "10个"
    data["funds"]["monitoring"] = [{"month": 4, "reason": "项目启动晚", "measure": "加快支付"}]
    ev = evaluate(ProjectYear.model_validate(data), national)  # 25% by April against 33%: 75 points, yellow
    (w,) = mid_year_warnings(ev)
    assert (w.subject, w.light, w.corrected, w.year_end) == ("预算执行", "yellow", True, "全年预算执行率100.00%")
    assert "预算执行（4月末黄灯），全年预算执行率100.00%" in html_to_text(render_narrative(ev)["supervision"])


def test_no_warning_says_so(national):
    data = copy.deepcopy(BASE)
    data["funds"]["monitoring"] = [{"month": 9}]
    ev = evaluate(ProjectYear.model_validate(data), national)  # 75% by September: 100 points, green
    assert not mid_year_warnings(ev)
    assert "均未亮红灯、黄灯" in html_to_text(render_narrative(ev)["supervision"])


@pytest.mark.parametrize("params", SAMPLES, ids=lambda p: p.stem)
def test_without_monitoring_data_nothing_changes(params):
    loaded = load_project(params)
    ev = evaluate(loaded.project_year, loaded.rules)
    assert not mid_year_warnings(ev)
    assert "监控" not in render_narrative(ev)["supervision"]
    assert not [i for i in checklist_items(ev) if "监控" in i.text]
