"""Scores against hand-computed cases for every rule of docs/rules.md §3–§6."""

from datetime import date

import pytest

from selfeval_lib.core.model import Indicator
from selfeval_lib.core.rules import ExecutionRule
from selfeval_lib.core.scoring import (
    ScoringError, band_contains, band_limits, band_top_included, classify_band, equal_score, execution_score,
    positive_score, qualitative_score, read_indicator, resolve_date, reverse_score, score_indicator, time_score,
    total_score,
)
from selfeval_lib.core.quantity import TimePoint
from selfeval_lib import errors

from conftest import DATA


def ind(target, actual, weight=10, level1="产出指标", level2="数量指标", **kw):
    return Indicator(level1=level1, level2=level2, name="指标", target=target, actual=actual, weight=weight, **kw)


def test_execution_score_is_capped_and_never_negative():
    rule = ExecutionRule(weight=10)
    assert execution_score(0.8, rule) == pytest.approx(8.0)
    assert execution_score(1.25, rule) == 10
    assert execution_score(-0.1, rule) == 0
    assert execution_score(0.5, ExecutionRule(weight=20)) == pytest.approx(10.0)
    assert execution_score(0.5, rule, weight=20) == pytest.approx(10.0)   # a table's printed weight


def test_positive_formula():
    assert positive_score(600, 520, 20) == pytest.approx(20 * 520 / 600)
    assert positive_score(600, 600, 20) == 20
    assert positive_score(600, 900, 20) == 20           # over-completion capped
    assert positive_score(600, -5, 20) == 0             # negative B counts as 0
    assert positive_score(0, 0, 20) == 20


def test_equal_formula_with_zero_target():
    assert equal_score(0, 0, 5) == 5
    assert equal_score(0, 1, 5) == 0
    assert equal_score(3, 2, 6) == pytest.approx(4.0)


def test_reverse_formulas():
    assert reverse_score(3500, 3500, 5, "ratio") == 5
    assert reverse_score(700, 725, 5, "ratio") == pytest.approx(5 * 700 / 725)
    assert reverse_score(700, 725, 5, "linear") == pytest.approx(5 * (1 - 25 / 700))
    assert reverse_score(100, 250, 5, "linear") == 0     # floored at 0
    assert reverse_score(0, 0, 5, "ratio") == 5
    assert reverse_score(0, 1, 5, "ratio") == 0


def test_time_formula():
    assert time_score(date(2023, 12, 31), date(2023, 12, 31), 5) == 5
    assert time_score(date(2023, 11, 30), date(2023, 12, 15), 5) == 0


def test_indicator_scores_by_direction(national):
    assert score_indicator(ind("≥600人次", "520人次", 20), national, 2023).score == pytest.approx(20 * 520 / 600)
    s = score_indicator(ind("≤700元", "725元", 5, level2="成本指标"), national, 2023)
    assert s.direction == "reverse" and s.score == pytest.approx(5 * 700 / 725)
    assert score_indicator(ind("=3部", "3部"), national, 2023).score == 10
    assert score_indicator(ind("=0起", "0起") if False else ind("=0次", "1次"), national, 2023).score == 0


def test_reverse_formula_comes_from_the_rule_set(national):
    linear = national.model_copy(update={"reverse_formula": "linear"})
    i = ind("≤700元", "725元", 5, level2="成本指标")
    assert score_indicator(i, linear, 2023).score == pytest.approx(5 * (1 - 25 / 700))


def test_mixed_scales_are_converted(national):
    s = score_indicator(ind("≤8.62万元", "86200元", 10, level2="成本指标"), national, 2023)
    assert s.score == 10 and s.target_value == 86200 and s.actual_value == 86200
    s = score_indicator(ind("≤8.62万元", "9.5万元", 10, level2="成本指标"), national, 2023)
    assert s.score == pytest.approx(10 * 86200 / 95000)


def test_look_alike_glyphs_score_like_ascii(national):
    a = score_indicator(ind("≧95%", "90%"), national, 2023).score
    b = score_indicator(ind(">=95%", "90%"), national, 2023).score
    c = score_indicator(ind("＝3部", "2部"), national, 2023).score
    assert a == b == pytest.approx(10 * 90 / 95)
    assert c == pytest.approx(10 * 2 / 3)


def test_over_completion_is_capped_and_flagged_at_1_3(national):
    s = score_indicator(ind("≥10场", "13场"), national, 2023)
    assert s.score == 10 and s.over_target
    assert not score_indicator(ind("≥10场", "12.9场"), national, 2023).over_target


def test_time_indicators(national):
    on_time = score_indicator(ind("2023年12月底前", "2023年12月20日", 5, level2="时效指标"), national, 2023)
    late = score_indicator(ind("2023年5月底前", "2023年7月", 5, level2="时效指标"), national, 2023)
    assert (on_time.kind, on_time.score) == ("time", 5)
    assert late.score == 0
    no_year = score_indicator(ind("12月底前", "2023年12月31日", 5, level2="时效指标"), national, 2023)
    assert no_year.score == 5


def test_qualitative_bands_at_their_limits(national):
    bands = national.qualitative_bands
    achieved, partial, failed = bands
    assert qualitative_score(achieved, 10, None, True) == 10
    assert qualitative_score(achieved, 10, 8, True) == 8            # 80% is inside 达成
    with pytest.raises(ScoringError):
        qualitative_score(achieved, 10, 7.99, True)
    assert qualitative_score(partial, 10, 6, False) == 6            # 60% is inside 部分达成
    with pytest.raises(ScoringError):
        qualitative_score(partial, 10, 8, False)                    # 80% belongs to 达成
    with pytest.raises(ScoringError):
        qualitative_score(partial, 10, None, False)                 # lower bands need a score
    assert qualitative_score(failed, 10, 5.9, False) == 5.9
    with pytest.raises(ScoringError):
        qualitative_score(failed, 10, 6, False)


def test_older_band_set_is_a_rule_set_option(national):
    from selfeval_lib.core.rules import Band
    old = national.model_copy(update={"qualitative_bands": (
        Band(name="达成", low=0.8, high=1.0), Band(name="部分达成", low=0.5, high=0.8, words=("部分",)),
        Band(name="未达成", low=0.0, high=0.5, words=("未达成",)))})
    s = score_indicator(ind("有效提升", "部分达成", 10, level2="社会效益指标", level1="效益指标", score=5), old, 2023)
    assert s.score == 5
    with pytest.raises(ScoringError):
        score_indicator(ind("有效提升", "部分达成", 10, level1="效益指标", level2="社会效益指标", score=5), national, 2023)


def test_band_classification_reads_words_worst_first(national):
    assert classify_band("未达成年度指标", "有效提升", national).name == "未达成"
    assert classify_band("基本达成", "有效提升", national).name == "部分达成"
    assert classify_band("全区未发生重特大事故", "有效提升", national).name == "达成"
    assert classify_band("有效提升", "有效提升", national).name == "达成"


def test_copied_and_blank_actuals(national):
    copied = score_indicator(ind("≥95%", "≥95%"), national, 2023)
    assert copied.actual_copies_target and copied.actual_has_operator and copied.score == 10
    blank = score_indicator(ind("≥95%", ""), national, 2023)
    assert blank.kind == "unmeasured" and blank.score == 0


@pytest.mark.parametrize("target, actual", [("≥95%", "达成"), ("=3部", "两部左右吧"), ("2023年11月底前", "按时完成"),
                                             ("≥10万元", "≥abc")])
def test_what_cannot_be_read_against_a_measurable_target_scores_zero(national, target, actual):
    """Words, or a figure the parser cannot read, against a measurable target: 0, never full marks
    (docs/rules.md §4); the target is still read."""
    s = score_indicator(ind(target, actual), national, 2023)
    assert s.kind == "unreadable" and s.score == 0


@pytest.mark.parametrize("target, actual, fraction", [
    ("=3部", "两部", 2 / 3),            # issue 22: scored 10 of 10 before
    ("≥10万元", "捌万元", 0.8),
    ("≥90%", "八成", 80 / 90),
    ("≥三个", "两个", 2 / 3),
    ("≥两千人", "1500人", 0.75),
    ("≥2000人", "一千五百人", 0.75),
    ("≥95%", "百分之九十", 90 / 95),
    ("3-5次", "4次", 1.0),             # inside the range: met
    ("3～5次", "2次", 2 / 3),          # below the lower bound: proportional to it
    ("3至5次", "六次", 1.0),           # above: met (capped)
    ("≥3次", "2-4次", 2 / 3),          # a range as the actual counts at its lower end
    ("≤4次", "3-5次", 0.8),            # ... and at its upper end against a ceiling
    ("≥5个百分点", "4个百分点", 0.8),
    ("≥2TB", "1024GB", 0.5),
    ("≥100%覆盖", "90%", 0.9),
    ("≥500人", "约400人", 0.8),        # 约 is read as the number
])
def test_numbers_as_chinese_writes_them_are_scored(national, target, actual, fraction):
    s = score_indicator(ind(target, actual), national, 2023)
    assert s.kind == "quantitative" and s.score == pytest.approx(10 * fraction)


def test_a_range_target_far_exceeded_is_flagged_as_set_too_low(national):
    assert score_indicator(ind("3-5次", "7次"), national, 2023).over_target   # 7 ≥ 1.3 × 5
    assert not score_indicator(ind("3-5次", "6次"), national, 2023).over_target


def test_percentage_points_do_not_compare_with_percent(national):
    with pytest.raises(errors.UnitMismatch):
        score_indicator(ind("≥5%", "6个百分点"), national, 2023)


def test_total_keeps_full_precision():
    assert total_score(9.6, [14.25, 4.827586206896552]) == pytest.approx(28.677586206896552, abs=1e-12)


@pytest.mark.parametrize("total, grade", [(100, "优"), (90, "优"), (89.999, "良"), (80, "良"),
                                          (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差")])
def test_grade_limits(national, total, grade):
    assert national.grade_of(total) == grade


def test_a_total_of_90_is_graded_90(national):
    # 8.365 + 4.05 + 4.475 + 4.585 + 68.525: a plain float sum gives 89.99999999999999.
    parts = [10 * 0.8365, 5 * 0.81, 5 * 0.895, 5 * 0.917]
    total = total_score(parts[0], parts[1:] + [90 - sum(parts)])
    assert total == 90 or abs(total - 90) < 1e-12
    assert national.grade_of(total) == "优"
    assert national.grade_of(89.99999999999999) == "优"


def test_errors_are_the_common_ones():
    assert ScoringError is errors.ScoringError and issubclass(ScoringError, ValueError)


def test_band_edges_one_rule(national):
    achieved, partial, failed = national.qualitative_bands
    assert band_top_included(achieved, True) and not band_top_included(partial, False)
    assert band_limits(partial, 20) == pytest.approx((12, 16))
    assert band_contains(achieved, 20, 20, True) and band_contains(achieved, 20, 16, True)
    assert band_contains(partial, 20, 12, False) and not band_contains(partial, 20, 16, False)
    assert not band_contains(failed, 20, 12, False) and band_contains(failed, 20, 0, False)


def test_read_indicator_checks_without_scoring(national):
    assert read_indicator(ind("≥10个", "9个"), national, 2023).kind == "quantitative"
    assert read_indicator(ind("≥95%", ""), national, 2023).kind == "unmeasured"
    timed = read_indicator(ind("11月底前", "2023-11-15", level2="时效指标"), national, 2023)
    assert (timed.kind, timed.deadline, timed.done) == ("time", date(2023, 11, 30), date(2023, 11, 15))
    band = read_indicator(ind("有效提升", "部分达成", score=7, level1="效益指标", level2="社会效益指标"), national, 2023).band
    assert band.name == "部分达成"
    for bad, message in [(ind("≥10个", "9人"), "无法换算"), (ind("≥10个", "2023年5月"), "是日期"),
                         (ind("有效提升", "部分达成", level1="效益指标", level2="社会效益指标"), "须给出得分"),
                         (ind("有效提升", "部分达成", score=9, level1="效益指标", level2="社会效益指标"), "不在")]:
        with pytest.raises(errors.ValueReadError, match=message):
            read_indicator(bad, national, 2023)
    with pytest.raises(ScoringError, match="不是有效日期"):
        resolve_date(TimePoint(None, False, None, 2, 29, "2月29日"), 2023)


# --- "余" under a ceiling (issue 12 item 8; docs/rules.md §4) --------------------------------------
from selfeval_lib.core.scoring import bound_over_ceiling, quantitative_score  # noqa: E402
from selfeval_lib.core.quantity import parse_value  # noqa: E402


@pytest.mark.parametrize("target, actual, over", [
    ("≦3500元", "3500余元", True), ("≤3500元", "3500多元", True), ("≤3500元", "3500元以上", True),
    ("≤3500元", ">3500元", True), ("≤0.35万元", "3500余元", True), ("≤3500元", "≥3600元", True),
    ("≤3500元", "3400余元", False), ("≤3500元", "≥3500元", False), ("≤3500元", "3500元", False),
    ("≥3500元", "3500余元", False), ("=60台", "60余台", False),
])
def test_a_lower_bound_at_or_above_a_ceiling_exceeds_it(target, actual, over):
    t, a = parse_value(target), parse_value(actual)
    from selfeval_lib.core.quantity import convert
    assert bound_over_ceiling(t, a, convert(a, t)) is over


def test_yu_above_a_ceiling_is_not_met_and_scores_zero(national):
    s = score_indicator(ind("≦3500元", "3500余元", weight=5, level2="成本指标"), national, 2023)
    assert (s.score, s.direction, s.kind) == (0.0, "reverse", "quantitative")
    result = quantitative_score(parse_value("≦3500元"), parse_value("3500余元"), 5, national)
    assert result.bound_over_ceiling and result.shortfall and result.score == 0
    # within the ceiling, or an exact figure above it, scores as before
    assert score_indicator(ind("≦3500元", "3400余元", weight=5, level2="成本指标"), national, 2023).score == 5
    assert score_indicator(ind("≦3500元", "3526元", weight=5, level2="成本指标"), national, 2023).score == \
        pytest.approx(5 * 3500 / 3526)
    # a floor answered by "余" is met
    assert score_indicator(ind("≥600人", "600余人"), national, 2023).score == 10


# --- real-world value pairs (issue 22; docs/rules.md §4) ------------------------------------------

def _value_pairs() -> list[dict[str, str]]:
    import csv
    path = DATA / "value_pairs.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("pair", _value_pairs(), ids=lambda p: f"{p['target']}|{p['actual']}")
def test_real_world_value_pairs_score_by_the_rules(pair, national):
    """Each pair (target, actual as a table writes them) scores the share of w the rules give: the
    share is written by hand in tests/data/value_pairs.csv, with where the pair comes from."""
    from fractions import Fraction

    weight = 10
    level1 = "满意度指标" if pair["level2"] == "满意度指标" else "效益指标" if pair["level2"] == "效益指标" else "产出指标"
    level2 = "社会效益指标" if pair["level2"] == "效益指标" else pair["level2"]
    scored = score_indicator(ind(pair["target"], pair["actual"], weight, level1, level2), national, 2023)
    expected = float(Fraction(pair["score_of_w"])) * weight
    assert scored.score == pytest.approx(expected, abs=1e-9), pair["source"]
