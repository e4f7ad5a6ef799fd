"""Cross-field validation of a project-year: it reads every indicator as scoring would, but scores none."""

import pytest

from selfeval_lib.core import scoring
from selfeval_lib.inputs import validation
from selfeval_lib.inputs.validation import check_project_year

from conftest import make_project


def _indicators(*changes):
    base = make_project().model_dump(mode="json")["indicators"]
    for index, update in changes:
        base[index].update(update)
    return base


def test_validation_does_not_score(national, monkeypatch):
    def no_scoring(*args, **kwargs):
        raise AssertionError("validation scored an indicator")

    for name in ("score_indicator", "quantitative_score", "qualitative_score", "time_score"):
        monkeypatch.setattr(scoring, name, no_scoring)
    assert not hasattr(validation, "score_indicator")
    assert check_project_year(make_project(), national) == []
    bad = make_project(indicators=_indicators((0, {"actual": "9人"}), (2, {"actual": "部分达成"})))
    problems = {p.loc: p.message for p in check_project_year(bad, national)}
    assert "无法换算" in problems[("indicators", 0, "actual")]
    assert "须给出得分" in problems[("indicators", 2, "score")]


@pytest.mark.parametrize("change, loc, words", [
    ({"actual": "2023年5月"}, ("indicators", 0, "actual"), "是日期"),
    ({"target": "≥"}, ("indicators", 0, "target"), "只有运算符"),
    ({"target": "有效提升", "actual": "部分达成", "score": 29}, ("indicators", 0, "score"), "不在"),
])
def test_indicator_problems_name_the_field(change, loc, words, national):
    problems = {p.loc: p.message for p in check_project_year(make_project(indicators=_indicators((0, change))), national)}
    assert words in problems[loc]


@pytest.mark.parametrize("actual", ["≥", "≥abc", "12abc"])
def test_an_actual_that_cannot_be_read_is_not_refused(actual, national):
    """It is the evaluation's finding, scored 0 (docs/rules.md §4), not a reason to refuse the file."""
    py = make_project(indicators=_indicators((0, {"actual": actual})))
    assert not [p for p in check_project_year(py, national) if p.loc[:2] == ("indicators", 0)]
