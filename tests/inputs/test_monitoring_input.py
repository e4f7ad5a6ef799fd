"""Validation of the monitoring input: months, units of progress values, the cut-off month."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import BASE, MONTH7, make_project

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.monitoring_input import load_monitored
from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.validation import check_monitoring_input, check_project_year


def _with_progress(progress, index=0):
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[index]["progress"] = progress
    return indicators


def _problems(py, national):
    return {p.loc: p.message for p in check_project_year(py, national)}


def test_a_file_without_monitoring_stays_valid(national):
    assert check_project_year(make_project(), national) == []
    assert check_monitoring_input(make_project(), 7) == []


def test_progress_in_another_unit_than_the_target(national):
    py = make_project(indicators=_with_progress([{"month": 6, "value": "3人"}]))  # target ≥10个
    message = _problems(py, national)[("indicators", 0, "progress", 0, "value")]
    assert "3人" in message and "≥10个" in message and "单位" in message


@pytest.mark.parametrize("value, words", [("≥", "只有运算符"), ("2023年5月", "是日期"), ("3个", None), ("", None)])
def test_progress_values_are_read_like_actuals(value, words, national):
    problems = _problems(make_project(indicators=_with_progress([{"month": 6, "value": value}])), national)
    if words is None:
        assert problems == {}
    else:
        assert words in problems[("indicators", 0, "progress", 0, "value")]


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_outside_1_to_12_in_the_file(month, tmp_path):
    data = copy.deepcopy(BASE)
    data["indicators"][0]["progress"] = [{"month": month, "value": "3个"}]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("p.yaml") and problem.field == "indicators[0].progress[0].month"
    assert problem.line is not None


def test_repeated_month_and_bad_category(tmp_path):
    data = copy.deepcopy(BASE)
    data["indicators"][0]["progress"] = [{"month": 6, "value": "3个"}, {"month": 6, "value": "4个"}]
    data["funds"]["monitoring"] = [{"month": 6, "category": "天气原因"}]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    fields = {p.field: p.message for p in caught.value.problems}
    assert "重复" in fields["indicators[0].progress"]
    assert "经费保障" in fields["funds.monitoring[0].category"]


@pytest.mark.parametrize("month", [0, 13, True, 7.0])
def test_cutoff_month_outside_1_to_12(month):
    (problem,) = check_monitoring_input(make_project(), month)
    assert "1–12" in problem.message


def test_later_months_are_not_errors():
    # A file kept through the year is monitored at June and again at July: later entries wait.
    py = make_project(indicators=_with_progress([{"month": 6, "value": "3个"}, {"month": 9, "value": "5个"}]),
                      funds={"monitoring": [{"month": 8, "reason": "x"}]})
    assert check_monitoring_input(py, 7) == [] and check_monitoring_input(py, 9) == []


def test_load_monitored_locates_every_problem(tmp_path):
    data = copy.deepcopy(BASE)
    data["indicators"][0]["progress"] = [{"month": 6, "value": "3个", "expected": "2023年5月1日"}]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_monitored(path, 6)
    (problem,) = caught.value.problems
    assert problem.field == "indicators[0].progress[0].expected" and problem.line
    assert "6月全年预计完成值“2023年5月1日”是日期" in problem.message


def test_example_file_is_valid():
    example = MONTH7
    for month in (6, 7):
        loaded = load_monitored(example, month)
        assert loaded.project_year.funds.plan[0].month == 12
        assert [n.month for n in loaded.project_year.funds.monitoring] == [6, 7]
