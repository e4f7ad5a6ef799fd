"""The report's prose reads as the unit's own 自评报告: on the three samples and 20 generated
projects, no ISO date, no review language, no doubled punctuation, no finding stated twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.prose import (
    cell_problems,
    prose_problems,
    report_cell_problems,
    report_cells,
    report_prose_problems,
    report_text,
)

from conftest import ROOT

SAMPLES = sorted((ROOT / "params" / "2023").glob("*.yaml"))


def _sample(path: Path) -> Evaluation:
    loaded = load_project(path)
    return evaluate(loaded.project_year, loaded.rules)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_samples_pass_the_prose_check(path: Path) -> None:
    ev = _sample(path)
    assert report_prose_problems(ev, render_narrative(ev)) == []
    text = report_text(render_narrative(ev))
    assert ev.rules.title not in text and "《项目支出绩效评价管理办法》（财预〔2020〕10号）" in text


def test_generated_projects_pass_the_prose_check(synthetic_evaluations) -> None:
    evaluations = synthetic_evaluations
    assert len(evaluations) == 20
    for ev in evaluations:
        assert report_prose_problems(ev, render_narrative(ev)) == [], ev.project_year.project.id


@pytest.mark.parametrize("text, needle", [
    ("预算于2023-01-16批复。", "ISO 日期"),
    ("单位自报等级“优”。", "单位自报"),
    ("与计算结果不一致，以计算结果为准。", "以计算结果为准"),
    ("单位未提供财务管理情况说明。", "未提供"),
    ("资金到位。。", "重复标点"),
    ("资金到位，，执行率100%。", "重复标点"),
    ("资金到位。，执行率100%。", "重复标点"),
    ("年度指标值有效提升，实际完成实现互联互通。", "拼接"),
    ("预算执行率为80%，未达到90%。预算执行率为80%，未达到90%。", "出现2次"),
    ("“保障通信专线及服务项数”年度指标值=5项，实际完成5项。", "比较符号"),
    ("年度指标值≥95%，实际达到98%。", "比较符号"),
    ("“通信费用支付及时性”实际完成2023年12月20日。", "拼接日期"),
    ("“通信数据使用费总额”实际完成8.62万元。", "成本"),
    ("经满意度调查，满意度为95.00%。", "多余的0"),
    ("预算执行率100.00%。", "多余的0"),
    ("预算执行率得分8.00分（分值10分）。", "分数带多余的0"),
    ("自评总分100.0分。", "分数带多余的0"),
    ("实际完成值（未填写）。", "未填写"),
    ("实际完成【待补充：完成值】，未达到年度指标值，得0.00分。", "同一句"),
    ("由局应急指挥中心统一负责监管使用。", "主语"),
    ("1. 严格执行资金支付审批制度。", "序号"),
    ("及时补齐相关审批手续。", "来年能做"),
    ("数据见 dongqu-yjglj-ydhs.yaml。", "文件名"),
    ("按 execution_rate 计算。", "程序标识"),
])
def test_prose_check_fails_on_each_problem(text: str, needle: str) -> None:
    problems = prose_problems(text)
    assert any(needle in p for p in problems), problems


def test_prose_check_unit_name_and_avoided_titles() -> None:
    unit = "攀枝花市东区应急管理局"
    assert prose_problems(f"{unit}申报，{unit}使用。", unit=unit)
    assert not prose_problems(f"{unit}申报。我局使用。", unit=unit)
    assert prose_problems("按“财预〔2020〕10号通用规则”计分。", avoid=("财预〔2020〕10号通用规则",))
    assert prose_problems("年度指标值为不低于95%，实际达到98%，完成年度指标值。") == []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_samples_tables_pass_the_cell_check(path: Path) -> None:
    ev = _sample(path)
    cells = report_cells(ev)
    assert "年度指标值" in cells and "总分" in cells and any(c.endswith("%") for c in cells)  # the tables read
    assert report_cell_problems(ev) == []


def test_generated_projects_tables_pass_the_cell_check(synthetic_evaluations) -> None:
    for ev in synthetic_evaluations:
        assert report_cell_problems(ev) == [], ev.project_year.project.id


@pytest.mark.parametrize("cell, needle", [
    ("=IF(G7=0,0,F7/G7)", "公式"),
    ("=MIN(E7,1)*D7", "公式"),
    ("得分=A/B×分值", "公式"),
    ("（未填写）", "未填写"),
    ("(未填报)", "未填写"),
    ("dongqu-yjglj-ydhs.yaml", "文件名"),
    ("execution_rate", "程序标识"),
])
def test_cell_check_fails_on_each_problem(cell: str, needle: str) -> None:
    problems = cell_problems([cell])
    assert any(needle in p for p in problems), problems


def test_cell_check_keeps_the_tables_own_signs_and_decimals() -> None:
    assert cell_problems(["=5项", "≥95%", "≦3500元", "100.00%", "0.00", "2023年12月底前", "—", ""]) == []
