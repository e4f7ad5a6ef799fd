"""Review (复核) engine: every finding code triggered by one table and absent from a similar one,
hand-computed scores, the rounding class, clean tables, and realistic transcribed tables.

Tables are written as YAML (as a reviewer would transcribe a printed table) and read with
:func:`selfeval_lib.review.readers.load_table`, so the YAML loader is exercised as well.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import yaml
from conftest import ROOT

from selfeval_lib.inputs.params import InputError
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.serialize import review_to_dict
from selfeval_lib.review.readers import load_table, read_tables
from selfeval_lib.review.service import review_reads
from selfeval_lib.core.findings import FindingCode

from review_tables import BASE, build, codes, review, row_scores, via_yaml

DATA = ROOT / "tests" / "data" / "review"

# --- the clean table --------------------------------------------------------------------------

def test_clean_table_has_no_findings(national, sichuan, tmp_path):
    table = via_yaml(BASE, tmp_path)
    result = review_table(table, national)
    assert result.findings == []
    assert result.recomputed_total == pytest.approx(97.5)
    assert result.recomputed_grade == "优"
    assert row_scores(result) == {"资金": pytest.approx(9.5), 1: 18, 2: 10, 3: 10, 4: 10, 5: 20, 6: 10, 7: 10}
    # Sichuan: free split of 90, reason below 90% — the clean table is clean there too.
    assert review_table(table, sichuan).findings == []


def test_seed_like_table_findings(national):
    (table,) = load_table(DATA / "seed_like_table.yaml")
    result = review_table(table, national)
    found = Counter((f.row, f.code) for f in result.findings)
    assert found == Counter({
        ("资金", "EXECUTION_RATE_MISMATCH"): 1, ("资金", "SCORE_MISMATCH"): 1, ("资金", "EXECUTION_REASON_MISSING"): 1,
        (1, "SCORE_MISMATCH"): 1, (1, "SHORTFALL_FULL_MARKS"): 1, (2, "ACTUAL_COPIES_TARGET"): 1,
        (3, "SCORE_MISMATCH"): 1, (3, "DEDUCTION_WITHOUT_REASON"): 1, (4, "DEDUCTION_WITHOUT_REASON"): 1,
        (5, "ACTUAL_COPIES_TARGET"): 1, (7, "SATISFACTION_NO_BASIS"): 1,
        ("总分", "WEIGHTS_SUM_MISMATCH"): 1, ("总分", "TOTAL_SUM_MISMATCH"): 1, ("总分", "TOTAL_MISMATCH"): 1,
        ("总分", "GRADE_BAND_MISMATCH"): 1, ("产出指标", "LEVEL1_WEIGHTS_DIFFER"): 1,
    })
    # 8 (exec 40/50) + 16 + 15 + 0 (late) + 8 (10 × 2/2.5) + 20 + 10 + 10 = 87 → 良.
    assert result.recomputed_total == pytest.approx(87)
    assert result.recomputed_grade == "良"


# --- every code: one table that triggers it, one similar table that does not -----------------

CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # code: (changes that trigger it, changes of a similar table that does not)
    "SCORE_MISMATCH": ({"rows": {1: {"score": 8, "deviation_reason": "抽检不合格"}}, "published_total": 95.5},
                       {"rows": {1: {"actual": "90%", "score": 10 * 90 / 95, "deviation_reason": "抽检不合格"}},
                        "published_total": 97.5 - 10 + 10 * 90 / 95}),
    "ROUNDING": ({"funds": {"executed": 94.6, "rate": "94.6%", "score": 9}, "published_total": 97},
                 {"funds": {"executed": 94.6, "rate": "94.6%", "score": 9.46}, "published_total": 97.46}),
    "QUALITATIVE_OUT_OF_BAND": ({"rows": {4: {"actual": "部分达成", "score": 17, "deviation_reason": "演练覆盖不全"}},
                                 "published_total": 94.5},
                                {"rows": {4: {"actual": "部分达成", "score": 15, "deviation_reason": "演练覆盖不全"}},
                                 "published_total": 92.5}),
    "UNREADABLE_VALUE": ({"rows": {1: {"target": "≥九十五分位数"}}}, {"rows": {1: {"target": "≥95%"}}}),
    "UNIT_MISMATCH": ({"rows": {0: {"actual": "540人次"}}}, {"rows": {0: {"actual": "540人"}}}),
    "ACTUAL_NOT_MEASURED": ({"rows": {1: {"actual": "全部合格"}}}, {"rows": {1: {"actual": "100%"}}}),
    "EXECUTION_RATE_MISMATCH": ({"funds": {"rate": "100%"}}, {"funds": {"rate": "95.00%"}}),
    "EXECUTION_OVER_BUDGET": ({"funds": {"executed": 105, "rate": "105%", "score": 10}, "published_total": 98},
                           {"funds": {"executed": 100, "rate": "100%", "score": 10}, "published_total": 98}),
    "EXECUTION_REASON_MISSING": ({"funds": {"executed": 80, "rate": "80%", "score": 8}, "published_total": 96},
                                 {"funds": {"executed": 80, "rate": "80%", "score": 8, "reason": "设备尾款次年支付"},
                                  "published_total": 96}),
    "WEIGHT_BLANK": ({"rows": {5: {"weight": None}}}, {"rows": {5: {"weight": "10分"}}}),
    "PLACEHOLDER_TEXT": ({"rows": {5: {"name": "指标1"}}}, {"rows": {5: {"name": "指标体系应用年限"}}}),
    "TARGET_BLANK": ({"rows": {5: {"target": "——"}}}, {"rows": {5: {"target": "≥3年"}}}),
    "ACTUAL_BLANK": ({"rows": {5: {"actual": "——"}}}, {"rows": {5: {"actual": "3年"}}}),
    "SCORE_BLANK": ({"rows": {5: {"score": None}}, "published_total": 87.5}, {}),
    "SCORE_ABOVE_WEIGHT": ({"rows": {5: {"score": 12}}, "published_total": 99.5}, {}),
    "DEDUCTION_WITHOUT_REASON": ({"rows": {0: {"deviation_reason": ""}}}, {}),
    "SHORTFALL_FULL_MARKS": ({"rows": {0: {"score": 20}}, "published_total": 99.5},
                             {"rows": {0: {"actual": "600人", "score": 20}}, "published_total": 99.5}),
    "ACTUAL_COPIES_TARGET": ({"rows": {1: {"actual": "≥95%"}}}, {"rows": {1: {"actual": "95%"}}}),
    "TARGET_NOT_QUANTIFIED": ({"rows": {0: {"target": "按计划完成培训", "actual": "已完成", "score": 18}}},
                              {"rows": {1: {"target": "按计划完成考核", "actual": "已完成"}}}),  # 质量指标: text is fine
    "TARGET_TOO_LOW": ({"rows": {1: {"target": "≥75%"}}}, {"rows": {1: {"target": "≥76%"}}}),  # 98/75 = 1.307, 98/76 = 1.289
    "COST_WITHOUT_CEILING": ({"rows": {3: {"target": "=150元", "actual": "150元"}}},
                             {"rows": {3: {"target": "≤150元", "actual": "150元"}}}),
    "CEILING_ON_COUNT": ({"rows": {0: {"target": "≤600人", "score": 20}}, "published_total": 99.5},
                         {"rows": {0: {"target": "≥540人", "score": 20}}, "published_total": 99.5}),
    "SATISFACTION_NO_BASIS": ({"rows": {6: {"actual": "96%"}}},
                              {"rows": {6: {"actual": "96%"}}, "survey": {"sample_size": 200, "method": "问卷调查"}}),
    "ALL_FULL_MARKS": ({"rows": {0: {"actual": "620人", "score": 20, "deviation_reason": ""}}, "published_total": 99.5}, {}),
    "WEIGHTS_SUM_MISMATCH": ({"rows": {5: {"weight": 15, "score": 15}}, "published_total": 102.5},
                             {"rows": {5: {"weight": 15, "score": 15}}, "published_total": 102.5, "total_weight": 105}),
    "LEVEL1_WEIGHTS_DIFFER": ({"rows": {1: {"weight": 5, "score": 5}, 4: {"weight": 25, "score": 25}}}, {}),
    "TOTAL_SUM_MISMATCH": ({"rows": {1: {"score": 8, "deviation_reason": "抽检不合格"}}}, {}),
    "TOTAL_MISMATCH": ({"rows": {1: {"score": 8, "deviation_reason": "抽检不合格"}}, "published_total": 95.5}, {}),
    "GRADE_BAND_MISMATCH": ({"published_grade": "良"}, {"published_grade": "优"}),
    "GRADE_MISMATCH": ({"rows": {4: {"actual": "——"}}}, {"rows": {4: {"actual": "明显提升"}}}),
    "FUNDS_INCOMPLETE": ({"funds": {"budget_full_year": 0, "executed": 0, "rate": "0%", "score": 0}, "published_total": 88},
                         {}),
    # The whole table (issue 13): the 其中 rows of the funds block, Hebei's 折算得分, the text blocks.
    "FUNDS_TOTAL_BLANK": ({"funds": {"budget_initial": 0, "budget_full_year": 0, "executed": 0, "rate": "0%", "score": 0,
                                     "breakdown": [{"label": "当年财政拨款", "budget_full_year": 100, "executed": 95}]},
                           "published_total": 88},
                          {"funds": {"breakdown": [{"label": "当年财政拨款", "budget_full_year": 100, "executed": 95}]}}),
    "FUNDS_BREAKDOWN_MISMATCH": ({"funds": {"breakdown": [{"label": "当年财政拨款", "budget_full_year": 100, "executed": 90}]}},
                                 {"funds": {"breakdown": [{"label": "当年财政拨款", "budget_full_year": 80, "executed": 75},
                                                          {"label": "其他资金", "budget_full_year": 20, "executed": 20}]}}),
    "CONVERTED_SCORE_MISMATCH": ({"rows": {0: {"weight": None, "weight_share": "20%", "item_score": 90, "score": 20}},
                                  "published_total": 99.5},
                                 {"rows": {0: {"weight": None, "weight_share": "20%", "item_score": 90, "score": 18}}}),
    "GOAL_ACTUAL_COPIES_EXPECTED": ({"texts": {"goal_expected": "完成600名队员培训，提升应急处置能力。",
                                               "goal_actual": "完成600名队员培训,提升应急处置能力"}},
                                    {"texts": {"goal_expected": "完成600名队员培训，提升应急处置能力。",
                                               "goal_actual": "完成540名队员培训，60名延至次年，应急处置能力提升。"}}),
    "TEMPLATE_PROMPT_LEFT": ({"texts": {"conclusion": "（填写说明：简述评价结论）"}},
                             {"texts": {"conclusion": "项目总体按计划实施，示范作用明显。"}}),
    "CONCLUSION_GRADE_MISMATCH": ({"texts": {"conclusion": "项目按计划实施，总体评价良好。"}},
                                  {"texts": {"conclusion": "项目按计划实施，运行良好，评价等级为优。"}}),
    "PROBLEMS_NOT_STATED": ({"texts": {"problems": "无"}}, {"texts": {"problems": "部分队员汛期值守，未能按期参训。"}}),
    "LEADER_BLANK": ({"texts": {"leader": ""}}, {"texts": {"leader": "张三"}}),
    "TABLE_INCOMPLETE": ({"ends_open": True, "published_total": None}, {"ends_open": True}),
}

#: Every code the engine emits (the brief's list); the test below checks CASES covers them all.
ALL_CODES = (
    "SCORE_MISMATCH ROUNDING QUALITATIVE_OUT_OF_BAND UNREADABLE_VALUE UNIT_MISMATCH ACTUAL_NOT_MEASURED "
    "EXECUTION_RATE_MISMATCH EXECUTION_OVER_BUDGET EXECUTION_REASON_MISSING WEIGHT_BLANK PLACEHOLDER_TEXT TARGET_BLANK "
    "ACTUAL_BLANK SCORE_BLANK SCORE_ABOVE_WEIGHT DEDUCTION_WITHOUT_REASON SHORTFALL_FULL_MARKS ACTUAL_COPIES_TARGET "
    "TARGET_NOT_QUANTIFIED TARGET_TOO_LOW COST_WITHOUT_CEILING CEILING_ON_COUNT SATISFACTION_NO_BASIS ALL_FULL_MARKS "
    "WEIGHTS_SUM_MISMATCH LEVEL1_WEIGHTS_DIFFER TOTAL_SUM_MISMATCH TOTAL_MISMATCH GRADE_BAND_MISMATCH GRADE_MISMATCH "
    "FUNDS_INCOMPLETE FUNDS_TOTAL_BLANK FUNDS_BREAKDOWN_MISMATCH CONVERTED_SCORE_MISMATCH GOAL_ACTUAL_COPIES_EXPECTED "
    "TEMPLATE_PROMPT_LEFT CONCLUSION_GRADE_MISMATCH PROBLEMS_NOT_STATED LEADER_BLANK TABLE_INCOMPLETE"
).split()


def test_cases_cover_every_code():
    """CASES covers every code the review emits; the review names them by FindingCode member."""
    import re

    assert sorted(CASES) == sorted(ALL_CODES)
    review_dir = ROOT / "selfeval_lib" / "review"
    source = "".join((review_dir / name).read_text(encoding="utf-8") for name in ("recompute.py", "rows.py", "funds_block.py", "text_blocks.py"))
    emitted = set(re.findall(r"\bC\.([A-Z][A-Z0-9_]+)\b", source))
    assert emitted == set(ALL_CODES), emitted ^ set(ALL_CODES)
    assert set(ALL_CODES) <= {c.value for c in FindingCode}


@pytest.mark.parametrize("code", list(CASES))
def test_code_triggered(code, national, tmp_path):
    trigger, _ = CASES[code]
    result = review_table(via_yaml(build(**trigger), tmp_path), national)
    assert code in codes(result), [f.message for f in result.findings]


@pytest.mark.parametrize("code", list(CASES))
def test_code_not_triggered_by_similar_table(code, national, tmp_path):
    _, similar = CASES[code]
    result = review_table(via_yaml(build(**similar), tmp_path), national)
    assert code not in codes(result), [f.message for f in result.findings]


def test_exact_findings_of_single_faults(national):
    """A single fault gives exactly the findings a reviewer expects, on the right row."""
    def found(**changes):
        return sorted(((f.row, f.code) for f in review(build(**changes), national).findings), key=str)

    # Row 2 scored 8 instead of 10: the row, and Σ rows (95.5) ≠ printed 97.5 (which is the rule's total).
    assert found(rows={1: {"score": 8, "deviation_reason": "抽检"}}) == sorted(
        [(2, "SCORE_MISMATCH"), ("总分", "TOTAL_SUM_MISMATCH")], key=str)
    # Row 5 blank actual: 0 of 20 → total 77.5 (中) against printed 97.5 (优).
    assert found(rows={4: {"actual": "——"}}) == sorted([
        (5, "ACTUAL_BLANK"), (5, "SCORE_MISMATCH"), ("总分", "TOTAL_MISMATCH"), ("总分", "GRADE_MISMATCH")], key=str)
    # Grade printed 良 for 97.5: against the printed total and against the recomputed one.
    assert found(published_grade="良") == sorted([("总分", "GRADE_BAND_MISMATCH"), ("总分", "GRADE_MISMATCH")], key=str)
    # Level-1 weights moved (45/35/10): only the low-severity note, on both level-1 rows.
    assert found(rows={1: {"weight": 5, "score": 5}, 4: {"weight": 25, "score": 25}}) == sorted([
        ("产出指标", "LEVEL1_WEIGHTS_DIFFER"), ("效益指标", "LEVEL1_WEIGHTS_DIFFER")], key=str)


def test_level1_weights_free_under_sichuan(sichuan):
    result = review(build(rows={1: {"weight": 5, "score": 5}, 4: {"weight": 25, "score": 25}}), sichuan)
    assert result.findings == []


def test_level1_weights_not_checked_without_funds(national):
    """Transfer tables (no execution score) print their own weights; no level-1 comparison."""
    data = build(funds=None, total_weight=90, published_total=88, published_grade="良")
    result = review(data, national)
    assert "LEVEL1_WEIGHTS_DIFFER" not in codes(result)
    assert result.findings == []
    assert any("无预算执行率" in r for r in result.readings)


# --- hand-computed scores ----------------------------------------------------------------------

def _one_row(target: str, actual: str, weight: float = 10, level2: str = "质量指标", score: Any = None) -> dict:
    return build(rows={1: {"target": target, "actual": actual, "weight": weight, "level2": level2, "score": score}})


@pytest.mark.parametrize("target, actual, expected", [
    ("≥600人", "540人", 10 * 540 / 600),          # positive: w × B / A
    ("≥600人", "720人", 10),                       # over-completion capped at w
    ("≥95%", "-5%", 0),                            # negative B counts as 0
    ("600余人", "580人", 10 * 580 / 600),          # "余": at least 600
    ("≧95%", "95%", 10), ("＞90%", "85.5%", 10 * 85.5 / 90), ("═100%", "98%", 9.8),  # glyphs
    ("=100%", "98%", 9.8),                         # equal: as positive
    ("=0次", "0次", 10), ("=0次", "1次", 0), ("=0%", "0%", 10),  # equal with A = 0
    ("≤8.62万元", "86200元", 10),                  # scale converted: 元 vs 万元
    ("≤8.62万元", "9万元", 10 * 8.62 / 9),         # reverse ratio: w × A / B
    ("≤150元", "160元", 10 * 150 / 160),
    ("≤5个工作日", "4天", 10),
    ("2023年11月底前", "2023年11月30日", 10), ("2023年11月底前", "2023年12月5日", 0),  # time
    ("11月底前", "2023-11-15", 10),                # a target without a year takes the table's year
])
def test_quantitative_scores(target, actual, expected, national):
    result = review(_one_row(target, actual), national)
    assert row_scores(result)[2] == pytest.approx(expected)


@pytest.mark.parametrize("target, actual, ratio, linear", [
    ("≤150元", "160元", 10 * 150 / 160, 10 * (1 - 10 / 150)),
    ("≤8.62万元", "9万元", 10 * 8.62 / 9, 10 * (1 - 0.38 / 8.62)),
    ("≤100元", "250元", 10 * 100 / 250, 0.0),       # linear bottoms out at 0
    ("≤0次", "2次", 0.0, 0.0),                       # A = 0 reverse: B > 0 → 0
])
def test_reverse_ratio_and_linear(target, actual, ratio, linear, national):
    assert row_scores(review(_one_row(target, actual, level2="成本指标"), national))[2] == pytest.approx(ratio)
    linear_rules = national.model_copy(update={"reverse_formula": "linear"})
    result = review(_one_row(target, actual, level2="成本指标"), linear_rules)
    assert row_scores(result)[2] == pytest.approx(linear)
    assert any("按超出指标值的比例扣减得分" in r for r in result.readings)
    assert not any("按超出指标值的比例扣减得分" in r for r in review(_one_row(target, actual, level2="成本指标"), national).readings)


@pytest.mark.parametrize("actual, score, expected, out_of_band", [
    ("达成", None, 20, False),            # 达成 without a score: full w
    ("显著提升", 17, 17, False),           # 达成 band [16, 20]: the unit's score
    ("达成", 15, 16, True),                # below the 达成 band
    ("部分达成", 12, 12, False),           # [12, 16)
    ("基本完成", 16, 16, True),            # 部分达成 excludes its top
    ("未达成", 11.5, 11.5, False),         # [0, 12)
    ("未完成，效果较差", 13, 12, True),     # clamped to the band
])
def test_qualitative_bands(actual, score, expected, out_of_band, national):
    data = build(rows={4: {"actual": actual, "score": score, "deviation_reason": "说明"}})
    result = review(data, national)
    assert row_scores(result)[5] == pytest.approx(expected)
    assert ("QUALITATIVE_OUT_OF_BAND" in codes(result)) is out_of_band


def test_qualitative_lower_band_without_score_cannot_be_recomputed(national):
    result = review(build(rows={4: {"actual": "部分达成", "score": None}}), national)
    assert row_scores(result)[5] is None
    assert result.recomputed_total is None
    assert "SCORE_BLANK" in codes(result)


@pytest.mark.parametrize("funds, expected", [
    ({"budget_initial": 80, "budget_full_year": 100, "executed": 95}, 9.5),          # 年初预算数 is never the denominator
    ({"amount_unit": "元", "budget_full_year": 1_000_000, "executed": 950_000}, 9.5),
    ({"executed": 120, "rate": "120%", "score": 10}, 10),                            # capped at w
    ({"executed": 0, "rate": "0%", "score": 0, "reason": "项目暂停"}, 0),
])
def test_execution_score(funds, expected, national):
    result = review(build(funds=funds), national)
    assert row_scores(result)["资金"] == pytest.approx(expected)


def test_execution_weight_taken_from_rules_when_blank(national):
    result = review(build(funds={"weight": None}), national)
    assert row_scores(result)["资金"] == pytest.approx(9.5)
    assert any("未填分值" in r for r in result.readings)


def test_sichuan_reason_below_90(sichuan, national):
    data = build(funds={"executed": 85, "rate": "85%", "score": 8.5}, published_total=96)
    assert "EXECUTION_REASON_MISSING" in codes(review(data, sichuan))
    assert "EXECUTION_REASON_MISSING" in codes(review(data, national))  # national: problems.execution_rate_min 0.9
    data["funds"]["reason"] = "部分设备未验收"
    assert "EXECUTION_REASON_MISSING" not in codes(review(data, sichuan))


# --- the rounding class ---------------------------------------------------------------------------

def test_table_rounding_every_score_to_integers_gives_only_rounding(national, tmp_path):
    """Execution 94.4% → 9.44 → 9; 560 of 600 → 18.67 → 19; 150/160 → 9.375 → 9; the total
    97.48 → 97. Each difference is rounding, so only low-severity ROUNDING findings."""
    data = build(funds={"executed": 94.4, "rate": "94.4%", "score": 9},
                 rows={0: {"actual": "560人", "score": 19},
                       3: {"actual": "160元", "score": 9, "deviation_reason": "耗材涨价"}},
                 published_total=97)
    result = review_table(via_yaml(data, tmp_path), national)
    assert {f.code for f in result.findings} == {"ROUNDING"}
    assert sorted(map(str, (f.row for f in result.findings))) == sorted(["资金", "1", "4", "总分"])
    assert all(f.severity == "low" for f in result.findings)
    assert result.recomputed_total == pytest.approx(9.44 + 20 * 560 / 600 + 10 + 10 + 10 * 150 / 160 + 20 + 10 + 10)


def test_rounding_beyond_tolerance_is_a_mismatch(national):
    # 9.375 printed as 8: not a rounding of the rule's score.
    result = review(build(rows={3: {"actual": "160元", "score": 8, "deviation_reason": "涨价"}}, published_total=95.5), national)
    assert ("SCORE_MISMATCH", 4) in {(f.code, f.row) for f in result.findings}
    assert "ROUNDING" not in {f.code for f in result.findings if f.row == 4}


def test_accumulated_row_rounding_in_total_is_rounding(national):
    """Every row rounded to an integer (9.46 → 9, 18.33 → 18, 9.375 → 9) and the total printed as
    Σ printed rows (96) against the rule's 97.17: a reviewer sees rounding, not a wrong total."""
    data = build(funds={"executed": 94.6, "rate": "94.6%", "score": 9},
                 rows={0: {"actual": "550人", "score": 18},
                       3: {"actual": "160元", "score": 9, "deviation_reason": "耗材涨价"}},
                 published_total=96)
    result = review(data, national)
    assert {f.code for f in result.findings} == {"ROUNDING"}


# --- realistic transcribed tables ------------------------------------------------------------------

REALISTIC = {
    "realistic_national_drill.yaml": ("national", {
        (6, "EXECUTION_RATE_MISMATCH"), (6, "SCORE_MISMATCH"),           # 27.36 ÷ 30 printed; ÷ 28.5 = 96%
        (13, "SHORTFALL_FULL_MARKS"), (13, "ROUNDING"),                  # 600余人, 580 → 9.67 printed 10
        (17, "ACTUAL_COPIES_TARGET"),                                    # 明显提高 / 明显提高
        (20, "ACTUAL_COPIES_TARGET"), (20, "SATISFACTION_NO_BASIS"),     # "≥95%" as the actual
        (None, "ALL_FULL_MARKS"), ("总分", "TOTAL_MISMATCH"),              # 99.12 against 99.27
    }, 9.6 + 90 - 10 / 30, "优"),
    "realistic_sichuan_blank.yaml": ("sichuan", {
        (15, "ACTUAL_BLANK"), (16, "ACTUAL_BLANK"), (15, "SCORE_BLANK"), (16, "SCORE_BLANK"),
        (9, "SCORE_BLANK"), ("总分", "SCORE_BLANK"),                       # blank 执行率得分 and 总分
    }, 10.0, "差"),
    # "完成" against "≤3.36万元": no figure to score, so no total either (docs/rules.md §4)
    "realistic_sichuan_cost.yaml": ("sichuan", {(15, "ACTUAL_NOT_MEASURED")}, None, None),
    "realistic_transfer.yaml": ("national", {(12, "ACTUAL_COPIES_TARGET")}, 97.5, "优"),
    # The 年度资金总额 row is all 0 (amounts only on the 其中 rows): flagged, and the execution score
    # recomputed from the printed 0%.
    "realistic_zero_funds_row.yaml": ("national", {
        (5, "FUNDS_INCOMPLETE"), (20, "SATISFACTION_NO_BASIS"), (16, "TARGET_NOT_QUANTIFIED"), (None, "ALL_FULL_MARKS"),
    }, 90.0, "优"),
}


@pytest.mark.parametrize("name", list(REALISTIC))
def test_realistic_tables(name, national, sichuan):
    rule_name, expected, total, grade = REALISTIC[name]
    rules = {"national": national, "sichuan": sichuan}[rule_name]
    (table,) = load_table(DATA / name)
    result = review_table(table, rules)
    assert {(f.row, f.code) for f in result.findings} == expected
    assert len(result.findings) == len(expected)
    assert result.recomputed_total == (None if total is None else pytest.approx(total))
    assert result.recomputed_grade == grade


def test_review_to_dict_is_json_ready(national):
    import json

    (table,) = load_table(DATA / "realistic_national_drill.yaml")
    data = review_to_dict(review_table(table, national))
    text = json.dumps(data, ensure_ascii=False)
    assert "EXECUTION_RATE_MISMATCH" in text
    assert data["totals"]["published_total"] == pytest.approx(99.12)
    assert {r["code"] for r in data["rows"]} >= {"TOTAL_MISMATCH", "ALL_FULL_MARKS"}


def test_review_reads_appends_reader_notes(national, tmp_path):
    reads = read_tables(DATA / "seed_like_table.yaml")
    reads[0].notes.append("读取说明：测试")
    (result,) = review_reads(reads, national)
    assert result.readings[-1] == "读取说明：测试"


# --- engine issues found on realistic tables (fixed; kept as regression tests) -----------------------

def test_blank_execution_score_is_reported(sichuan):
    (table,) = load_table(DATA / "realistic_sichuan_blank.yaml")
    result = review_table(table, sichuan)
    assert ("SCORE_BLANK", 9) in {(f.code, f.row) for f in result.findings}


def test_zero_budget_is_reported(national):
    (table,) = load_table(DATA / "realistic_zero_funds_row.yaml")
    result = review_table(table, national)
    assert any(f.row == 5 for f in result.findings)


@pytest.mark.parametrize("change, blank_code", [({"weight": "十分"}, "WEIGHT_BLANK"), ({"score": "满分"}, "SCORE_BLANK")])
def test_text_cell_is_not_also_blank(change, blank_code, national):
    result = review(build(rows={3: change}), national)
    assert "UNREADABLE_VALUE" in codes(result)
    assert blank_code not in codes(result)


def test_huge_weight_does_not_crash(national):
    result = review(build(rows={3: {"weight": 1e30}}), national)
    assert "WEIGHTS_SUM_MISMATCH" in codes(result)


def test_blank_total_is_reported(sichuan):
    (table,) = load_table(DATA / "realistic_sichuan_blank.yaml")
    result = review_table(table, sichuan)
    assert any(f.row == "总分" for f in result.findings)


def test_exact_achievement_is_not_a_copy(national):
    result = review(build(rows={1: {"target": "100%", "actual": "100%"}}), national)
    assert "ACTUAL_COPIES_TARGET" not in codes(result)


@pytest.mark.parametrize("target, actual", [("≤150元/人", "142元/人"), ("=0起", "0起"), ("≥12次/年", "12次/年"),
                                            ("≥30例", "32例"), ("≥10台次", "12台次")])
def test_common_units_are_readable(target, actual, national):
    result = review(_one_row(target, actual), national)
    assert "UNREADABLE_VALUE" not in codes(result)


def test_grade_words_are_understood(national):
    result = review(build(published_grade="优秀"), national)
    assert result.findings == []


def test_reason_threshold_zero_means_never(national):
    rules = national.model_copy(update={"execution": national.execution.model_copy(update={"reason_required_below": 0.0})})
    result = review(build(funds={"executed": 80, "rate": "80%", "score": 8}, published_total=96), rules)
    assert "EXECUTION_REASON_MISSING" not in codes(result)


# --- input errors of the YAML transcription -----------------------------------------------------------

def test_yaml_errors_name_field_and_line(tmp_path):
    data = build(rows={1: {"weight": [10]}}, bogus=1)
    data["funds"]["amount_unit"] = "千元"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table(path)
    problems = {p.field: p for p in info.value.problems}
    assert set(problems) == {"indicators[1].weight", "funds.amount_unit", "bogus"}
    assert "数字或文字" in problems["indicators[1].weight"].message
    assert "元" in problems["funds.amount_unit"].message
    assert all(p.line for p in problems.values())
    assert all(p.file == str(path) for p in problems.values())


def test_yaml_without_indicators(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("source: x\nindicators: []\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table(path)
    assert info.value.problems[0].field == "indicators"
    assert "至少" in info.value.problems[0].message


def test_yaml_source_defaults_to_path(tmp_path):
    data = build()
    del data["source"]
    table = via_yaml(data, tmp_path)
    assert table.source == str(tmp_path / "table.yaml")


# --- one vocabulary: the evaluation and the review give the same codes for the same fields ---------

SHARED_ROW_CODES = {
    FindingCode.PLACEHOLDER_TEXT, FindingCode.ACTUAL_BLANK, FindingCode.ACTUAL_COPIES_TARGET,
    FindingCode.ACTUAL_NOT_MEASURED, FindingCode.TARGET_NOT_QUANTIFIED, FindingCode.DEDUCTION_WITHOUT_REASON,
    FindingCode.TARGET_TOO_LOW, FindingCode.COST_WITHOUT_CEILING, FindingCode.CEILING_ON_COUNT,
}


@pytest.mark.parametrize("fields, expected", [
    ({"target": "≥10个", "actual": "9个", "deviation_reason": ""}, {"DEDUCTION_WITHOUT_REASON"}),
    ({"target": "≥10个", "actual": "9个", "deviation_reason": "延期"}, set()),
    ({"target": "≥10个", "actual": "", "deviation_reason": ""}, {"ACTUAL_BLANK", "DEDUCTION_WITHOUT_REASON"}),
    ({"level2": "质量指标", "target": "≥95%", "actual": "≥95%"}, {"ACTUAL_COPIES_TARGET"}),
    ({"level2": "质量指标", "target": "100%", "actual": "100%"}, set()),
    ({"level2": "质量指标", "target": "≥95%", "actual": "达成"}, {"ACTUAL_NOT_MEASURED"}),
    ({"level2": "时效指标", "target": "2023年11月底前", "actual": "按时完成"}, {"ACTUAL_NOT_MEASURED"}),
    ({"target": "足额完成", "actual": "完成"}, {"TARGET_NOT_QUANTIFIED"}),
    ({"target": "≥10个", "actual": "13个"}, {"TARGET_TOO_LOW"}),
    ({"level2": "成本指标", "target": "=500元", "actual": "500元"}, {"COST_WITHOUT_CEILING"}),
    ({"level2": "成本指标", "target": "≤500元", "actual": "500元"}, set()),
    ({"target": "≤10个", "actual": "9个"}, {"CEILING_ON_COUNT"}),
    ({"name": "指标1", "target": "≥10个", "actual": "10个"}, {"PLACEHOLDER_TEXT"}),
])
def test_same_fields_give_same_codes_in_evaluation_and_review(fields, expected, national):
    from conftest import make_project

    from selfeval_lib.core.evaluation import evaluate

    params = make_project().model_dump(mode="json")["indicators"]
    params[0].update(fields)
    ev = evaluate(make_project(indicators=params), national)
    name = params[0]["name"]
    from_evaluation = {f.code for f in ev.findings if f.subject == name} & SHARED_ROW_CODES
    row = {"level2": "数量指标", "deviation_reason": "说明", **fields}
    row["weight"] = 20
    row["score"] = 20 * ev.indicators[0].score / ev.indicators[0].weight
    result = review(build(rows={0: row}), national)
    from_review = {f.code for f in result.findings if f.row == 1} & SHARED_ROW_CODES
    assert from_evaluation == from_review == expected


def test_qualitative_band_edge_is_the_core_rule(national):
    """A band reaching 100% includes its top in the evaluation and in the review alike."""
    from selfeval_lib.core.rules import Band
    from selfeval_lib.core.scoring import band_contains

    bands = (Band(name="达成", low=0.9, high=1.0), Band(name="基本达成", low=0.6, high=1.0, words=("基本达成",)),
             Band(name="未达成", low=0.0, high=0.6, words=("未达成",)))
    rules = national.model_copy(update={"qualitative_bands": bands})
    assert band_contains(bands[1], 20, 20, False)
    result = review(build(rows={4: {"actual": "基本达成", "score": 20}}), rules)
    assert "QUALITATIVE_OUT_OF_BAND" not in codes(result)
    assert any("[60%,100%]" in r for r in result.readings)


def test_score_tolerance_comes_from_the_rule_set(national):
    data = build(rows={1: {"score": 9.99, "deviation_reason": "说明"}}, published_total=97.49)
    assert "SCORE_MISMATCH" in codes(review(data, national)) or "ROUNDING" in codes(review(data, national))
    loose = national.model_copy(update={"problems": national.problems.model_copy(update={"review_score_tolerance": 0.02})})
    assert review(data, loose).findings == []


# --- real-world value pairs, as the evaluation scores them (tests/data/value_pairs.csv) -----------

def _value_pairs() -> list[dict[str, str]]:
    import csv

    with (ROOT / "tests" / "data" / "value_pairs.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("pair", _value_pairs(), ids=lambda p: f"{p['target']}|{p['actual']}")
def test_real_world_value_pairs_are_recomputed_as_evaluated(pair, national):
    """The review recomputes a published row to the share of w the rules give (the same table the
    evaluation is checked against); a row whose actual cannot be read is unscorable, never met."""
    from fractions import Fraction

    from selfeval_lib.core.model import Indicator
    from selfeval_lib.core.scoring import score_indicator

    level2 = "社会效益指标" if pair["level2"] == "效益指标" else pair["level2"]
    level1 = {"满意度指标": "满意度指标", "社会效益指标": "效益指标"}.get(level2, "产出指标")
    evaluated = score_indicator(Indicator(level1=level1, level2=level2, name="指标", target=pair["target"],
                                          actual=pair["actual"], weight=10), national, 2023)
    row = build(rows={1: {"target": pair["target"], "actual": pair["actual"], "weight": 10,
                          "level1": level1, "level2": level2, "score": round(evaluated.score, 2)}})
    recomputed = row_scores(review(row, national))[2]
    if evaluated.kind in ("unreadable", "unmeasured"):
        assert recomputed is None, pair["source"]
    else:
        assert recomputed == pytest.approx(float(Fraction(pair["score_of_w"])) * 10, abs=1e-9), pair["source"]


def test_readings_speak_chinese_without_paths_or_identifiers(national):
    """The readings are printed in the review a unit or bureau reads: the rule set by its title, the
    rules in words; no file path, section sign, formula letters or code names."""
    result = review(_one_row("≤150元", "160元", level2="成本指标"), national)
    assert result.readings and result.readings[0] == f"规则集：{national.title}。"
    for line in result.readings:
        assert not re.search(r"docs/|\.md|§|reverse_formula|ROUNDING|[AB]/[AB]|\(B−A\)", line), line
