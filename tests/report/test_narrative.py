"""The report speaks as the unit: first person, placeholders for missing facts, illustrative
data marked, problems in the unit's words with one cause stated once."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.core.findings import FindingCode
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.formatting import chinese_date
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.narrative import achievement, indicator_summary, self_name
from selfeval_lib.report.missing_facts import missing_facts
from selfeval_lib.report.problems import REPORT_CODES, report_problems
from selfeval_lib.report.prose import html_to_text

from conftest import ROOT


def _ev(stem: str) -> Evaluation:
    loaded = load_project(ROOT / "params" / "2023" / f"dongqu-yjglj-{stem}.yaml")
    return evaluate(loaded.project_year, loaded.rules)


def test_first_person_and_no_review_language() -> None:
    ev = _ev("aqpx")
    text = render_narrative(ev)
    assert self_name(ev) == "我局" and "由我局预算申报" in text["basic"]
    body = "".join(v for k, v in text.items() if k != "title")
    assert ev.project_year.project.unit not in body
    for word in ("单位自报", "以计算结果为准", "报告称", "未提供"):
        assert word not in body


def test_missing_facts_are_placeholders_listed_and_counted() -> None:
    ev = _ev("aqpx")
    text = render_narrative(ev)
    assert '<span class="placeholder">【待补充：财务管理情况】</span>' in text["finance"]
    labels = [f.label for f in missing_facts(ev)]
    assert "财务管理情况" in labels and "预算执行率偏低的原因及改进措施" in labels
    assert len(labels) == sum(v.count('class="placeholder"') for v in text.values())


def test_illustrative_notice_on_first_page_and_tables() -> None:
    ev = _ev("ydhs")
    text = render_narrative(ev)
    assert "示例数据" in html_to_text(text["title"]) and "绩效指标的指标值与完成值" in text["title"]
    assert "示例数据" in text["note_indicators"] and "示例数据" in text["note_funds"]
    assert "note_vouchers" not in text  # the vouchers are a working paper of the 自查清单
    other = render_narrative(_ev("aqpx"))
    assert "示例数据" not in other["title"] and other["note_indicators"] == ""


def test_illustrative_paths_are_validated() -> None:
    data = load_project(ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml").project_year.model_dump(mode="json")
    data["illustrative"] = ["funds.nonsense"]
    with pytest.raises(ValidationError):
        ProjectYear.model_validate(data)
    data["illustrative"] = ["indicators", "indicators"]
    with pytest.raises(ValidationError):
        ProjectYear.model_validate(data)


def test_one_cause_one_problem_and_every_report_code_worded() -> None:
    ev = _ev("aqpx")
    problems = report_problems(ev)
    execution = [p for p in problems if p.group == "execution"]
    assert len(execution) == 1 and f"预算执行率为{fmt.percent(ev.funds.execution_rate, trim=True)}，" in execution[0].text
    stated = {c for p in problems for c in p.codes}
    assert stated == {f.code for f in ev.findings if f.code in REPORT_CODES}
    assert FindingCode.EXECUTION_REASON_MISSING not in stated
    listed = html_to_text(render_narrative(ev)["problems"])
    assert all(listed.count(p.text) == 1 for p in problems)


def test_conclusion_is_qualitative_before_the_score() -> None:
    ev = _ev("ydhs")
    text = html_to_text(render_narrative(ev)["conclusion"])
    assert text.index("资金管理") < text.index("产出指标") < text.index("自评总分")
    assert "2023年1月16日" in html_to_text(render_narrative(ev)["declaration"])


def test_output_indicators_walk_level2_in_order() -> None:
    text = html_to_text(render_narrative(_ev("aqpx"))["completion"])
    positions = [text.index(name) for name in ("数量指标。", "质量指标。", "时效指标。", "成本指标。")]
    assert positions == sorted(positions) and "实际完成520人次" in text


def test_chinese_date() -> None:
    import datetime as dt

    assert chinese_date(dt.date(2023, 1, 6)) == "2023年1月6日"


def test_funds_not_arrived_are_stated_with_the_computed_rate(national) -> None:
    """No arrival at all: the prose says so, with the rate as the library formats it."""
    from conftest import make_project

    ev = evaluate(make_project(funds={"arrivals": []}), national)
    text = html_to_text(render_narrative(ev)["plan_arrival_use"])
    assert "截至年底资金未到位，资金到位率0%。" in text


def _agrees(ev: Evaluation) -> None:
    """评价结论 follows the score, the grade and 存在的问题."""
    text = render_narrative(ev)
    conclusion = html_to_text(text["conclusion"])
    problems = html_to_text(text["problems"])
    shortfalls = indicator_summary(ev).shortfalls
    assert f"{achievement(ev)}了年初设定的绩效目标" in conclusion
    assert (achievement(ev) == "全面实现") == (not shortfalls)
    assert f"自评总分{fmt.score(ev.total, trim=True)}分" in conclusion and f"评价等级为“{ev.grade}”" in conclusion
    if "绩效目标明确" in conclusion:
        assert "绩效目标设置" not in problems and "指标值设定" not in problems
    if "支付审批手续齐全" in conclusion:
        assert "审批" not in problems
    if shortfalls:
        assert "全部完成" not in conclusion or "产出指标全部完成" in conclusion
    for p in report_problems(ev):
        assert "补齐" not in p.measure and "【待补充" not in p.text


@pytest.mark.parametrize("stem", ["ydhs", "aqpx", "slfh"])
def test_conclusion_agrees_with_score_and_problems(stem: str) -> None:
    _agrees(_ev(stem))


def test_conclusion_agrees_on_generated_projects(synthetic_evaluations) -> None:
    evaluations = synthetic_evaluations
    for ev in evaluations:
        _agrees(ev)
    assert {achievement(ev) for ev in evaluations} >= {"全面实现", "基本实现"}


def test_every_target_met_is_fully_achieved() -> None:
    ev = _ev("ydhs")
    assert not indicator_summary(ev).shortfalls
    assert "全面实现了年初设定的绩效目标" in html_to_text(render_narrative(ev)["conclusion"])


def test_a_missing_actual_is_asked_once_never_judged(national) -> None:
    from conftest import make_project

    base = make_project()
    data = base.model_dump(mode="json")
    data["indicators"][0]["actual"] = ""
    name = data["indicators"][0]["name"]
    ev = evaluate(ProjectYear.model_validate(data), national)
    text = html_to_text(render_narrative(ev)["completion"] + render_narrative(ev)["benefits"])
    sentence = next(s for s in text.split("。") if f"“{name}”" in s)
    assert "【待补充" in sentence
    for verdict in ("未完成", "未达到", "得0", "完成年度指标值"):
        assert verdict not in sentence, sentence
    assert name not in html_to_text(render_narrative(ev)["problems"])
    assert [f.label for f in missing_facts(ev) if f.fact == "actual"] == [f"“{name}”的实际完成值"]
    # the tables leave the cell blank: no "（未填写）", and the 自评表's summary does not judge it
    from selfeval_lib.report.self_table import Cell, closing_texts, completion_summary, self_table
    from selfeval_lib.report.tables import display_frame

    assert "未填" not in display_frame("indicators", ev).to_string()
    table = self_table(ev, closing_texts({}, 200))
    assert not [c.value for c in table.items if isinstance(c, Cell) and "未填" in str(c.value)]
    summary = completion_summary(ev)
    assert f"“{name}”完成值待补充。" in summary
    assert not any(name in sentence for sentence in summary.split("。") if "未达到" in sentence), summary


def test_a_missing_actual_is_counted_as_neither_reached_nor_not(national) -> None:
    """The tallies of 四（一）, 评价结论 and the 自评表's summary set an indicator without an actual
    apart ("1项完成值待补充"); the score sentence says it is not yet scored, as its 0 in the table."""
    from conftest import make_project

    from selfeval_lib.report.self_table import completion_summary

    data = make_project().model_dump(mode="json")
    effects = [i for i in data["indicators"] if i["level1"] != "产出指标"]
    outputs = [i for i in data["indicators"] if i["level1"] == "产出指标"]
    effects[-1]["actual"] = ""
    outputs[-1]["actual"] = "无"
    ev = evaluate(ProjectYear.model_validate(data), national)
    text = render_narrative(ev)
    conclusion = html_to_text(text["conclusion"])
    met = {s.name for s in ev.indicators if s.score >= s.weight and s.kind != "unmeasured"}
    n_eff = sum(i["name"] in met for i in effects)
    assert (n_eff, len(effects)) == (1, 2) and len(outputs) == 2 and not met & {i["name"] for i in outputs}
    assert "效益和满意度指标2项中1项达到预期，1项完成值待补充" in conclusion, conclusion
    assert "产出指标2项中1项未完成，1项完成值待补充" in conclusion, conclusion
    assert f"“{outputs[-1]['name']}”、“{effects[-1]['name']}”完成值待补充，暂未计分" in conclusion
    completion = html_to_text(text["completion"])
    assert "项目设置产出指标2项，1项未达到年度指标值，1项完成值待补充。" in completion, completion
    summary = completion_summary(ev)
    assert f"“{effects[-1]['name']}”、“{outputs[-1]['name']}”完成值待补充" in summary or \
        f"“{outputs[-1]['name']}”、“{effects[-1]['name']}”完成值待补充" in summary, summary


def test_scores_in_prose_drop_trailing_zeros() -> None:
    """Prose writes 得8分, 自评总分100分 (the tables keep two decimals)."""
    for stem in ("ydhs", "aqpx", "slfh"):
        ev = _ev(stem)
        text = html_to_text(render_narrative(ev)["conclusion"] + render_narrative(ev)["completion"])
        assert f"自评总分{fmt.score(ev.total, trim=True)}分" in text
        assert not re.search(r"\d\.\d*0分", text), text
    assert "预算执行率得分8分（分值10分）" in html_to_text(render_narrative(_ev("aqpx"))["conclusion"])


def test_indicators_read_as_a_finance_officer_writes_them() -> None:
    text = html_to_text(render_narrative(_ev("ydhs"))["completion"])
    assert "“保障通信专线及服务项数”年度指标值为5项，实际完成5项" in text
    assert "年度指标值为不低于95%，实际达到98%" in text
    assert "于12月20日完成" in text and "实际支出8.62万元" in text
    assert "实际完成2023年" not in text and "≥" not in text and "=" not in text


def test_params_texts_get_their_subject() -> None:
    """A params text that starts without a subject gets one (report/phrases.py); none starts with 由."""
    text = html_to_text(render_narrative(_ev("ydhs"))["organisation"])
    assert all(not line.startswith("由") for line in text.splitlines())


def test_outline_numbering() -> None:
    """Below （一）: 1. then （1）; never a list the browser numbers."""
    text = render_narrative(_ev("ydhs"))
    assert "<ol" not in "".join(text.values()) and "<li" not in "".join(text.values())
    basic = html_to_text(text["basic"])
    assert "（1）移动视频调度专线" in basic and "\n1." in "\n" + basic.split("（一）项目基本情况")[1].strip()
    assert html_to_text(text["problems"]).splitlines()[-1].startswith(("1.", "2.", "3.", "4.", "5."))


def test_late_arrival_is_stated_from_the_data() -> None:
    """The 资金到位 problem states what the data show (batches, dates, days), no guessed consequence."""
    ev = _ev("aqpx")
    arrival = next(p for p in report_problems(ev) if p.group == "arrival")
    n = len(ev.project_year.funds.arrivals)
    last, approved = ev.funds.last_arrival, ev.project_year.funds.approved_date
    assert arrival.text == (f"资金分{n}批到位，最后一笔于{chinese_date(last)}到位，"
                            f"距{chinese_date(approved)}预算批复{(last - approved).days}天。")
    assert "补齐" not in arrival.measure and "财政部门" in arrival.measure


def test_funds_plan_is_stated_and_followed(national) -> None:
    """二（二） states the 用款计划 with its basis, and says the spending kept to it only when it did."""
    from conftest import make_project

    from selfeval_lib.report.narrative import plan_followed

    ev = _ev("ydhs")
    text = html_to_text(render_narrative(ev)["plan_arrival_use"])
    plan = ev.project_year.funds.plan[0]
    assert f"按用款计划，{plan.month}月安排{fmt.wan(plan.amount)}（{plan.basis}）" in text
    assert plan_followed(ev) and "与用款计划一致" in text
    other = evaluate(make_project(funds={"plan": [{"month": 6, "amount": 1000}]}), national)
    assert not plan_followed(other)
    assert "与用款计划一致" not in html_to_text(render_narrative(other)["plan_arrival_use"])
    assert not plan_followed(_ev("aqpx"))  # no plan: nothing claimed
