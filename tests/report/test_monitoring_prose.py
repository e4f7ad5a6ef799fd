"""The monitoring prose check (report/monitoring_prose.py): each pattern it names, and the three
samples and synthetic projects of every kind at several months passing it."""

from __future__ import annotations

import pytest
import yaml
from conftest import MONTH7, ROOT

from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.synthetic import synthetic_params
from selfeval_lib.render.monitoring_text import monitoring_text
from selfeval_lib.render.notebook import open_monitoring
from selfeval_lib.report.monitoring import MonitoringReport
from selfeval_lib.report.monitoring_prose import monitoring_report_problems, monitoring_text_problems

SAMPLES = sorted((ROOT / "params" / "2023").glob("*.yaml"))

@pytest.mark.parametrize("text, found", [
    # report/prose.py's patterns, applied to the monitoring prose
    ("截至7月末项目累计支出0元，全年预计执行数暂按0元计，全年预算执行率0.00%。", "百分比带多余的0"),
    ("年度指标值≥95%。", "比较符号写入正文"),
    ("实际完成（未填写）。", "未填写"),
    ("尽快启动项目实施和资金支付。", "不是单位来年能做的事"),
    # the monitoring's own
    ("全年预计执行8.60万元。", "多余的零“8.60”"),
    ("执行进度0（执行率÷序时进度×100）。", "算式“÷”"),
    ("推算方法为monthly_average。", "程序标识“monthly_average”"),
    ("建议单位加快支付。", "上级口吻“建议单位”"),
    ("实际完成【待补充：完成值】，亮红灯。", "待补充事项与结论在同一句"),
    ("我局预计全年执行8.62万元，我局有可能完成全年预算执行目标。", "一句中“我局”出现多次"),
])
def test_each_pattern_is_named(text, found):
    problems = monitoring_text_problems(text, me="我局")
    assert any(found in p for p in problems), problems


def test_what_a_unit_writes_passes():
    text = ("截至7月末，项目累计支出0万元，预算执行率0%，序时进度58.33%。按用款计划推算，全年预计执行8.62万元，"
            "预算执行率100%。“社会满意度”尚无完成值【待补充：1–7月完成值】。月均936.50元。")
    assert monitoring_text_problems(text) == []
    # a table keeps its two decimals and its signs, never a blank marker or a file name
    assert monitoring_text_problems("0.00%\n≥95%", prose=False) == []
    assert len(monitoring_text_problems("（未填报）\nseed-month7.yaml", prose=False)) == 2


@pytest.mark.parametrize("path", [*SAMPLES, MONTH7], ids=lambda p: p.stem)
def test_samples_pass_at_every_month(path):
    reports = [open_monitoring(path, month) for month in range(1, 13)]
    problems = [f"{r.month}月 {p}" for r in reports for p in monitoring_report_problems(r, r.text)]
    assert problems == []


def test_synthetic_projects_pass(tmp_path):
    """Projects of every theme, with and without a 用款计划 or the unit's own expectation."""
    problems = []
    for i, data in enumerate(synthetic_params(16, seed=23)):
        funds = data["funds"]
        budget = funds["approved"] + sum(a["amount"] for a in funds["adjustments"])  # 全年预算数
        if i % 4 == 1:  # a monthly 用款计划
            data["funds"]["plan"] = [{"month": m, "amount": budget // 4, "basis": "按季度支付服务费"} for m in (3, 6, 9)] \
                + [{"month": 12, "amount": budget - 3 * (budget // 4)}]
        elif i % 4 == 2:  # the unit's own 全年预计执行数 and reason
            data["funds"]["monitoring"] = [{"month": 6, "category": "经费保障", "reason": "资金5月到位，合同待签",
                                            "measure": "7月完成签约并支付", "achievable": "有可能", "expected": budget}]
        path = tmp_path / f"{i}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        loaded = load_project(path)
        for month in (3, 6, 9, 11):
            report = MonitoringReport.build(loaded, month, earlier=())
            problems += [f"{i} {month}月 {p}" for p in monitoring_report_problems(report, monitoring_text(report))]
    assert problems == []
