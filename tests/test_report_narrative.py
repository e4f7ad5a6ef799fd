"""The report speaks as the unit: first person, placeholders for missing facts, illustrative
data marked, problems in the unit's words with one cause stated once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.core.findings import FindingCode
from selfeval_lib.core.formatting import chinese_date
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import load_project
from selfeval_lib.report.narrative import placeholder_count, placeholders, render_narrative, self_name
from selfeval_lib.report.problems import REPORT_CODES, report_problems
from selfeval_lib.report.prose import html_to_text

ROOT = Path(__file__).resolve().parents[1]


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
    labels = [label for _, label in placeholders(ev)]
    assert "财务管理情况" in labels and "预算执行率偏低的原因及改进措施" in labels
    assert placeholder_count(ev) == len(labels) == sum(v.count('class="placeholder"') for v in text.values())


def test_illustrative_notice_on_first_page_and_tables() -> None:
    ev = _ev("ydhs")
    text = render_narrative(ev)
    assert "示例数据" in html_to_text(text["title"]) and "绩效指标的指标值与完成值" in text["title"]
    assert "示例数据" in text["note_indicators"] and "示例数据" in text["note_vouchers"]
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
    assert len(execution) == 1 and "80.00%" in execution[0].text
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
    assert "截至年底资金未到位，资金到位率0.00%。" in text
