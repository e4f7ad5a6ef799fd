"""Indicator checks: each code with data that raises it and data that does not, and the shared
predicates the review applies to a published row."""

from selfeval_lib.core.indicator_checks import (
    actual_copies_target, actual_not_measured, all_full_marks, ceiling_on_count, cost_without_ceiling,
    deduction_without_reason, has_survey_basis, level1_weight_gaps, number_placeholder, placeholder_fields,
    target_not_quantified,
)
from selfeval_lib.core.quantity import parse_value

from conftest import codes, make_project

def _indicators(*changes):
    base = make_project().model_dump(mode="json")["indicators"]
    for index, update in changes:
        base[index].update(update)
    return base


def test_indicator_findings(national):
    def findings(*changes):
        return codes(make_project(indicators=_indicators(*changes)), national)

    assert "DEDUCTION_WITHOUT_REASON" in findings((0, {"actual": "8个", "deviation_reason": ""}))
    assert "DEDUCTION_WITHOUT_REASON" not in findings((0, {"actual": "8个"}))
    assert "ACTUAL_BLANK" in findings((0, {"actual": ""}))
    assert "ACTUAL_COPIES_TARGET" in findings((1, {"actual": "≥95%"}))
    assert "ACTUAL_COPIES_TARGET" in findings((2, {"actual": "有效提升"}))
    assert "ACTUAL_NOT_MEASURED" in findings((1, {"actual": "达成"}))
    assert "TARGET_NOT_QUANTIFIED" in findings((0, {"target": "足额完成", "actual": "完成"}))
    assert "PLACEHOLDER_TEXT" in findings((0, {"name": "指标1"}))
    assert "TARGET_TOO_LOW" in findings((0, {"actual": "13个"}))
    assert "TARGET_TOO_LOW" not in findings((0, {"actual": "12个"}))
    assert "COST_WITHOUT_CEILING" in findings((1, {"level2": "成本指标", "target": "=500元", "actual": "500元"}))
    assert "COST_WITHOUT_CEILING" not in findings((1, {"level2": "成本指标", "target": "≤500元", "actual": "500元"}))
    assert "CEILING_ON_COUNT" in findings((0, {"target": "≤10个"}))
    assert "LEVEL2_UNKNOWN" in findings((0, {"level2": "经济效益指标"}))


def test_all_full_marks_and_level1_weights(national, sichuan):
    full = _indicators((0, {"actual": "10个"}))
    assert "ALL_FULL_MARKS" in codes(make_project(indicators=full), national)
    shifted = _indicators((0, {"weight": 20}), (2, {"weight": 40}))
    assert "LEVEL1_WEIGHTS_DIFFER" in codes(make_project(indicators=shifted), national)
    assert "LEVEL1_WEIGHTS_DIFFER" not in codes(make_project(indicators=shifted), sichuan)


def test_satisfaction_basis(national):
    assert "SATISFACTION_NO_BASIS" in codes(make_project(survey={"rate": 0.96, "sample_size": None, "method": ""}), national)
    assert "SATISFACTION_NO_BASIS" not in codes(make_project(survey={"rate": 0.96}), national)
    assert "SATISFACTION_NO_BASIS" not in codes(make_project(survey={"rate": 0.9, "sample_size": None}), national)
    no_survey = make_project(survey=None, indicators=_indicators((3, {"actual": "98%"})))
    assert "SATISFACTION_NO_BASIS" in codes(no_survey, national)


def test_qualitative_actual_with_negation_needs_an_explicit_band(national):
    def findings(change):
        return codes(make_project(indicators=_indicators((2, change))), national)

    assert "QUALITATIVE_UNCLEAR" in findings({"actual": "部分乡镇尚在推进"})
    assert "QUALITATIVE_UNCLEAR" not in findings({"actual": "部分乡镇尚在推进", "assessment": "达成"})
    assert "QUALITATIVE_UNCLEAR" not in findings({"actual": "明显改善"})


def test_negative_phrases_fall_in_the_lowest_band(national):
    from selfeval_lib.core.scoring import classify_band

    for text in ("没有完成", "未按期完成", "不达标", "尚未完成"):
        assert classify_band(text, "有效提升", national).name == "未达成", text


def test_time_target_answered_in_words_is_not_measured(national):
    found = codes(make_project(indicators=_indicators((0, {"level2": "时效指标", "target": "2023年11月底前",
                                                           "actual": "按时完成"}))), national)
    assert "ACTUAL_NOT_MEASURED" in found


def test_a_placeholder_where_a_number_goes():
    marks = {text: number_placeholder(text) for text in ("≥**平方米", "**%", "≥XX人", "≥××个", "≥　　平方米", "≥（ ）人",
                                                        "**", "≥95%", "100%覆盖", "X光机正常运行", "X射线", "XX", "2×3米")}
    assert marks == {"≥**平方米": "**", "**%": "**", "≥XX人": "XX", "≥××个": "××", "≥　　平方米": "空格", "≥（ ）人": "（ ）",
                     "**": "**", "≥95%": "", "100%覆盖": "", "X光机正常运行": "", "X射线": "", "XX": "", "2×3米": ""}


def test_shared_predicates_on_plain_fields(national):
    assert placeholder_fields(name="指标1", target="≥95%", actual="") == ["name"]
    assert actual_copies_target("≥95%", "≥95%") and actual_copies_target("≥96%", "≥95%")
    assert not actual_copies_target("100%", "100%") and not actual_copies_target("", "有效提升")
    assert actual_not_measured(parse_value("≥95%"), parse_value("达成"))
    assert actual_not_measured(parse_value("2023年11月底前"), parse_value("按时完成"))
    assert not actual_not_measured(parse_value("有效提升"), parse_value("达成"))
    assert target_not_quantified("数量指标", parse_value("足额完成"))
    assert not target_not_quantified("质量指标", parse_value("足额完成"))
    assert deduction_without_reason(8, 10, " ") and not deduction_without_reason(8, 10, "延期")
    assert not deduction_without_reason(None, 10, "") and not deduction_without_reason(10, 10, "")
    assert cost_without_ceiling("经济成本指标", "quantitative", "equal")
    assert not cost_without_ceiling("成本指标", "quantitative", "reverse")
    assert ceiling_on_count("数量指标", "quantitative", "reverse", parse_value("≤10个"))
    assert not ceiling_on_count("数量指标", "quantitative", "reverse", parse_value("≤10%"))
    assert all_full_marks([(10, 10), (5, 5), (1, 1)]) and not all_full_marks([(10, 10), (5, 5)])
    assert not all_full_marks([(10, 10), (None, 5), (1, 1)])
    assert level1_weight_gaps({"产出指标": 45, "效益指标": 35, "满意度指标": 10}, national) == [
        ("产出指标", 45, 50), ("效益指标", 35, 30)]
    assert has_survey_basis(200, "问卷") and not has_survey_basis(200, " ") and not has_survey_basis(None, "问卷")


def test_what_cannot_be_read_scores_zero_and_names_the_cell_and_value(national):
    """Issue 22: never full marks for an actual that could not be read; the finding names the
    indicator and quotes the value (docs/rules.md §4)."""
    from selfeval_lib.core.evaluation import evaluate

    for actual, code in (("≥abc", "UNREADABLE_VALUE"), ("两部左右吧", "ACTUAL_NOT_MEASURED"), ("达成", "ACTUAL_NOT_MEASURED")):
        py = make_project(indicators=_indicators((0, {"actual": actual})))
        ev = evaluate(py, national)
        first = ev.indicators[0]
        assert first.score == 0 and first.kind == "unreadable", actual
        (hit,) = [f for f in ev.findings if f.code == code]
        assert hit.severity == "high" and hit.subject == first.name
        assert f"“{actual}”" in hit.message and "按0分计" in hit.message


def test_copied_actual_says_which_fault(national):
    """The message names the fault the value has, not "照抄…或带有比较符号" for both."""
    from selfeval_lib.core.evaluation import evaluate

    def message(index, update):
        ev = evaluate(make_project(indicators=_indicators((index, update))), national)
        return next(f.message for f in ev.findings if f.code == "ACTUAL_COPIES_TARGET")

    with_operator = message(1, {"actual": "≥97%"})
    assert "带有比较符号" in with_operator and "照抄" not in with_operator
    copied = message(2, {"actual": make_project().indicators[2].target})
    assert "照抄年度指标值" in copied and "比较符号" not in copied
