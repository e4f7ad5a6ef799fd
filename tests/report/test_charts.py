"""The report's charts: the portfolio charts mark the rule set's limits, not constants."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEED_SAMPLE

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.rules import GradeBand, RuleSet
from selfeval_lib.inputs.params import load_project
from selfeval_lib.core import formatting as fmt
from selfeval_lib.report import charts

FRAME = pd.DataFrame({"总分": [95.0, 86.5, 72.0, 55.0], "执行率": [1.0, 0.93, 0.8, 0.5]})


def limits(fig) -> list[tuple[float, str]]:
    """(x, label) of the vertical limit lines and the texts drawn next to them."""
    ax = fig.axes[0]
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    return list(zip(xs, [t.get_text() for t in ax.texts]))


def test_score_distribution_marks_the_rule_sets_grades(national: RuleSet) -> None:
    assert limits(charts.score_distribution_chart(FRAME, 2023, national)) == [
        (90, "优≥90"), (80, "良≥80"), (60, "中≥60")]
    custom = national.model_copy(update={"grades": (
        GradeBand(grade="A", min_score=85), GradeBand(grade="B", min_score=70.5), GradeBand(grade="C", min_score=0))})
    fig = charts.score_distribution_chart(FRAME, 2023, custom)
    assert limits(fig) == [(85, "A≥85"), (70.5, "B≥70.5")]
    assert fig.axes[0].get_xlim()[1] == custom.total + 0.5


def test_execution_rate_marks_the_rule_sets_minimum(sichuan: RuleSet) -> None:
    ax = charts.execution_rate_chart(FRAME, 2023, sichuan).axes[0]
    assert ax.get_lines()[0].get_xdata()[0] == sichuan.problems.execution_rate_min
    assert ax.get_legend().get_texts()[0].get_text() == "90%"
    strict = sichuan.model_copy(update={"problems": sichuan.problems.model_copy(update={"execution_rate_min": 0.95})})
    ax = charts.execution_rate_chart(FRAME, 2023, strict).axes[0]
    assert ax.get_lines()[0].get_xdata()[0] == 0.95 and ax.get_legend().get_texts()[0].get_text() == "95%"


@pytest.fixture(scope="module")
def evaluation():
    loaded = load_project(SEED_SAMPLE)
    return evaluate(loaded.project_year, loaded.rules)


def test_report_charts_and_png(evaluation) -> None:
    scores = charts.score_weight_chart(evaluation)
    title = scores.axes[0].get_title()
    assert f"等级“{evaluation.grade}”" in title
    assert f"总分{fmt.score(evaluation.total, trim=True)}分" in title and ".00分" not in title  # as the prose says it
    assert len(scores.axes[0].get_yticklabels()) == len(evaluation.indicators) + 1
    monthly = charts.monthly_execution_chart(evaluation)
    png = charts.figure_png(monthly)
    assert png.startswith(b"\x89PNG") and png == charts.figure_png(monthly)


def test_a_project_with_many_indicators_is_charted_by_its_second_level(evaluation) -> None:
    """Past MAX_CHART_BARS indicators one bar per 二级指标, its score and weight the sums of its
    indicators (the 自评表 lists every indicator)."""
    import dataclasses

    many = [dataclasses.replace(s, name=f"{s.name}{k}") for k in range(charts.MAX_CHART_BARS)
            for s in evaluation.indicators]
    ev = dataclasses.replace(evaluation, indicators=many)
    ax = charts.score_weight_chart(ev).axes[0]
    groups = {(s.level1, s.level2) for s in many}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(groups) + 1 and labels[0] == "预算执行率"
    first = many[0]
    members = [s for s in many if (s.level1, s.level2) == (first.level1, first.level2)]
    assert labels[1] == f"{first.level2}（{len(members)}项）"
    weights = sorted(round(p.get_width(), 6) for p in ax.patches[: len(labels)])
    assert round(sum(s.weight for s in members), 6) in weights
