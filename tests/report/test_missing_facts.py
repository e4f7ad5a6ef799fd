"""The facts a report lacks are data on the evaluation (report.missing_facts): decided once, in
the report's order, and exactly what the narrative prints as 【待补充：…】."""

from __future__ import annotations

import html
import re

import pytest

from conftest import make_project
from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.report.missing_facts import missing_facts
from selfeval_lib.render.narrative import render_narrative

_PRINTED = re.compile(r'<span class="placeholder">【待补充：(.*?)】</span>')
ALL_NARRATIVE = {"financial_management": "按制度核算", "organisation": "由局办公室组织实施", "management": "按合同管理",
                 "supervision": "按季度检查"}


def _indicators(**changes: dict) -> list[dict]:
    """The builder's indicators with some fields changed, by indicator name."""
    rows = [dict(row) for row in make_project().model_dump(mode="json")["indicators"]]
    for row in rows:
        row.update(changes.get(row["name"], {}))
    return rows


def _facts(py, rules):
    return [(f.section, f.fact, f.label) for f in missing_facts(evaluate(py, rules))]


def test_a_narrative_text_left_out_is_asked_for_in_its_part(national) -> None:
    assert _facts(make_project(), national) == [
        ("finance", "financial_management", "财务管理情况"), ("organisation", "organisation", "项目组织架构及实施流程"),
        ("management", "management", "项目管理情况"), ("supervision", "supervision", "项目监管情况")]
    assert _facts(make_project(narrative=ALL_NARRATIVE), national) == []


def test_indicators_in_the_order_the_report_walks_them(national) -> None:
    py = make_project(narrative=ALL_NARRATIVE, indicators=_indicators(
        数量={"deviation_reason": ""}, 质量={"actual": ""}, 效益={"actual": ""}))
    assert _facts(py, national) == [
        ("completion", "deviation", "“数量”偏差原因及改进措施"), ("completion", "actual", "“质量”的实际完成值"),
        ("benefits", "actual", "“效益”的实际完成值")]


def test_what_the_survey_lacks(national) -> None:
    facts = _facts(make_project(narrative=ALL_NARRATIVE, survey={"method": "", "sample_size": None}), national)
    assert facts == [("benefits", "survey", "满意度调查的调查方式、有效样本量")]
    assert _facts(make_project(narrative=ALL_NARRATIVE, survey=None), national) == [
        ("benefits", "survey", "满意度调查的调查方式、有效样本量和调查时间")]


def test_a_missing_execution_reason(national) -> None:
    half = [{"date": "2023-06-15", "amount": 40000, "payee": "供应商", "item": "甲", "voucher": "V1",
             "approvals": ["经办人", "分管领导", "主要领导", "党委会", "分管区领导"]}]
    facts = _facts(make_project(narrative=ALL_NARRATIVE, funds={"payments": half}), national)
    assert ("plan_arrival_use", "execution_reason", "预算执行率偏低的原因及改进措施") in facts
    given = make_project(narrative=ALL_NARRATIVE, funds={"payments": half, "execution_shortfall_reason": "项目延期"})
    assert not [f for f in _facts(given, national) if f[1] == "execution_reason"]


def test_the_label_of_a_fact(national) -> None:
    ev = evaluate(make_project(indicators=_indicators(质量={"actual": ""})), national)
    facts = missing_facts(ev)
    quality = next(s for s in ev.indicators if s.name == "质量")
    assert facts.label("actual", quality) == "“质量”的实际完成值"
    assert facts.label("actual", ev.indicators[0]) == "" and facts.label("survey") == ""
    assert facts.label("financial_management") == "财务管理情况" and len(facts) == len(list(facts)) == 5


VARIANTS = {
    "bare": {},
    "all_given": {"narrative": ALL_NARRATIVE},
    "blanks": {"indicators": _indicators(数量={"deviation_reason": "", "actual": ""}, 满意度={"actual": ""}),
               "survey": {"sample_size": None}},
    "no_survey": {"survey": None, "narrative": {"organisation": "由局办公室组织实施"}},
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_report_prints_exactly_the_missing_facts(variant, national) -> None:
    ev = evaluate(make_project(**VARIANTS[variant]), national)
    printed = [(key, html.unescape(label)) for key, fragment in render_narrative(ev).items()
               for label in _PRINTED.findall(fragment)]
    assert printed == [(f.section, f.label) for f in missing_facts(ev)]


def test_the_samples_print_exactly_their_missing_facts(evaluations) -> None:
    for stem, ev in evaluations.items():
        printed = [(key, html.unescape(label)) for key, fragment in render_narrative(ev).items()
                   for label in _PRINTED.findall(fragment)]
        assert printed == [(f.section, f.label) for f in missing_facts(ev)], stem
    assert any(missing_facts(ev) for ev in evaluations.values())


def test_a_fact_given_is_shown_in_the_units_words(national) -> None:
    ev = evaluate(make_project(narrative={"financial_management": "按制度核算"}), national)
    assert missing_facts(ev).label("financial_management") == ""
    assert "按制度核算" in render_narrative(ev)["finance"] and "待补充" not in render_narrative(ev)["finance"]
