"""Every rule of the bundled district 口径: an indicator that triggers it and a similar one that
does not; the score formula, overrides and the provincial warnings (pure: subjects built here)."""

from __future__ import annotations

import pytest

from selfeval_lib.requality.engine import provincial_warnings, rescore
from selfeval_lib.requality.model import EvidenceCheck
from selfeval_lib.requality.overrides import EvidenceRequest, Override

from requality_subjects import DISTRICT, HAS, NATIONAL, REQUEST, codes, row, run, subject

# --- rule 1: evidence --------------------------------------------------------------------------

def test_rule1_requested_and_not_supplied_scores_zero():
    r = run(row(), evidence=False, requests=[REQUEST])
    i = r.indicators[0]
    assert (i.rule_code, i.share, i.requality_score, i.deduction) == ("1", 1.0, 0.0, 10.0)
    assert "无佐证材料" in i.reason and "2024年3月1日通知补报" in i.reason and not i.heuristic
    assert r.evidence_status == "requested" and r.supplement is None


def test_rule1_evidence_not_handed_over_asks_for_it_and_deducts_nothing():
    r = run(row(), row("开展宣传活动场次", target="≥10场", actual="12场"), evidence=False)
    assert [(i.requality_score, i.deduction, i.rule_code) for i in r.indicators] == [(10, 0.0, ""), (10, 0.0, "")]
    assert r.evidence_status == "not_provided" and r.requality_total == 30
    assert r.supplement is not None and r.supplement.rule == "1"
    assert r.supplement.indicators == ("培训企业主要负责人", "开展宣传活动场次")


def test_rule1_evidence_handed_over_for_some_lists_the_rest_for_supplement():
    r = rescore(subject(row(), row("开展宣传活动场次")), DISTRICT, {0: (HAS,), 1: ()})
    assert r.evidence_status == "provided" and r.supplement.indicators == ("开展宣传活动场次",)
    assert [i.deduction for i in r.indicators] == [0.0, 0.0]


def test_rule1_a_request_for_another_input_does_not_apply():
    other = EvidenceRequest(source="other.yaml", requested="2024-03-01", due="2024-03-15")
    r = run(row(), evidence=False, requests=[other])
    assert r.evidence_status == "not_provided" and r.indicators[0].deduction == 0


def test_rule1_evidence_present_keeps_the_score():
    i = run(row(), requests=[REQUEST]).indicators[0]
    assert "1" not in [h.code for h in i.hits] and i.requality_score == 10


def test_rule1_listed_file_missing_is_named():
    s = subject(row())
    missing = {0: (EvidenceCheck("e/x.pdf", "", "manifest", False),)}
    r = rescore(s, DISTRICT, missing, requests=(REQUEST,))
    assert r.indicators[0].rule_code == "1" and "e/x.pdf" in r.indicators[0].reason
    unasked = rescore(s, DISTRICT, missing)
    assert unasked.indicators[0].deduction == 0 and unasked.supplement.missing_files == ("e/x.pdf",)


def test_rule1a_hash_mismatch_scores_zero_and_matching_hash_does_not():
    bad = EvidenceCheck("e/x.pdf", "", "manifest", True, "a" * 64, "b" * 64)
    good = EvidenceCheck("e/x.pdf", "", "manifest", True, "a" * 64, "a" * 64)
    assert rescore(subject(row()), DISTRICT, {0: (bad,)}).indicators[0].rule_code == "1A"
    assert rescore(subject(row()), DISTRICT, {0: (good,)}).indicators[0].hits == ()


# --- rule 2: relevance (heuristic) ---------------------------------------------------------------

def test_rule2_unrelated_indicator():
    i = run(row(name="果树种植面积", target="≥200亩", actual="210亩")).indicators[0]
    assert i.rule_code == "2" and i.heuristic and i.requality_score == 0


def test_rule2_related_indicator_and_generic_words_are_not_flagged():
    assert "2" not in codes(run(row(name="宣传活动场次")))
    assert "2" not in codes(run(row(name="完成率", target="≥95%", actual="96%")))


def test_rule2_judges_quantity_and_benefit_indicators_only():
    """验收合格率, 完成时间 and unit costs are generic by nature: a 质量/时效/成本 row is not judged."""
    assert "2" not in codes(run(row(name="果树种植面积", level2="质量指标", target="≥200亩", actual="210亩")))
    assert "2" not in codes(run(row(name="验收合格率", target="≥95%", actual="96%")))
    assert "2" in codes(run(row(name="果树种植面积", level1="效益指标", level2="社会效益指标", target="≥200亩",
                                actual="210亩")))


def test_rule2_not_judged_without_enough_content():
    assert "2" not in codes(run(row(name="果树种植面积"), content="经费"))


# --- rule 3: cannot be assessed, by degree (heuristic) -------------------------------------------

def test_rule3_severe_vague_target_and_unmeasured_actual():
    i = run(row(level1="效益指标", level2="社会效益指标", name="安全培训社会效益", target="社会效益明显",
                actual="效益明显")).indicators[0]
    assert (i.rule_code, i.share, i.heuristic) == ("3", 1.0, True) and "严重" in i.reason


def test_rule3_moderate_bare_rate():
    i = run(row(level2="质量指标", name="合格率", target="≥95%", actual="97%")).indicators[0]
    assert (i.rule_code, i.share) == ("3", 0.6) and i.requality_score == pytest.approx(4)


def test_rule3_minor_vague_target_with_measured_actual():
    i = run(row(level1="效益指标", level2="社会效益指标", name="企业安全培训意识", target="有所提高",
                actual="知晓率提高12%")).indicators[0]
    assert (i.rule_code, i.share) == ("3", 0.3) and i.requality_score == pytest.approx(7)


def test_rule3_clear_indicator_is_assessable():
    assert "3" not in codes(run(row(level2="质量指标", name="培训考核合格率", target="≥95%", actual="97%")))


# --- rule 4: satisfaction without a survey -------------------------------------------------------

def test_rule4_satisfaction_without_survey_scores_zero():
    i = run(row(level1="满意度指标", level2="服务对象满意度指标", name="参训人员满意度", target="≥90%", actual="95%"),
            survey=False).indicators[0]
    assert i.rule_code == "4" and i.requality_score == 0 and "未提供满意度调查" in i.reason


def test_rule4_survey_with_basis_is_not_deducted():
    assert "4" not in codes(run(row(level1="满意度指标", level2="服务对象满意度指标", name="参训人员满意度",
                                    target="≥90%", actual="95%")))


# --- rules 5, 6, 8: flagged, never deducted ------------------------------------------------------

def test_rule5_over_130_percent_flags_without_deduction():
    i = run(row(name="宣传活动场次", target="≥10场", actual="16场")).indicators[0]
    assert "5" in codes(run(row(name="宣传活动场次", target="≥10场", actual="16场")))
    assert i.requality_score == 10 and i.deduction == 0 and "160%" in i.hits[0].reason


def test_rule5_within_130_percent_is_not_flagged():
    assert "5" not in codes(run(row(name="宣传活动场次", target="≥10场", actual="12场")))


def test_rule6_quantity_written_as_text_is_not_deducted():
    i = run(row(name="宣传活动", target="全面开展", actual="已开展")).indicators[0]
    assert "6" in [h.code for h in i.hits] and i.deduction == 0
    assert "6" not in codes(run(row(name="宣传活动场次", target="≥10场", actual="10场")))


def test_rule8_benefit_produced_is_noted_and_a_partial_one_is_not():
    produced = run(row(level1="效益指标", level2="社会效益指标", name="企业安全责任意识", target="有效增强",
                       actual="企业主要负责人安全责任意识增强"))
    assert "8" in codes(produced) and produced.indicators[0].deduction == 0
    assert "8" not in codes(run(row(level1="效益指标", level2="社会效益指标", name="企业安全责任意识",
                                    target="有效增强", actual="部分达成")))


# --- rule 7: timeliness with several targets -----------------------------------------------------

def test_rule7_one_of_several_deadlines_missed_deducts_30_percent():
    i = run(row(level2="时效指标", name="培训及验收完成时间", target="6月底前完成培训、12月底前完成验收",
                actual="培训按时完成，验收延期至次年1月")).indicators[0]
    assert (i.rule_code, i.share) == ("7", 0.3) and i.requality_score == pytest.approx(7)


def test_rule7_all_deadlines_met_or_single_target():
    assert "7" not in codes(run(row(level2="时效指标", name="培训及验收完成时间",
                                    target="6月底前完成培训、12月底前完成验收", actual="均按时完成")))
    assert "7" not in codes(run(row(level2="时效指标", name="培训完成时间", target="12月底前", actual="延期至次年1月")))


# --- rule 9: duplicates (heuristic) --------------------------------------------------------------

def test_rule9_second_of_two_duplicates_scores_zero():
    r = run(row(name="培训企业负责人人数"), row(name="培训企业负责人人数 "))
    assert "9" not in codes(r, 0) and r.indicators[1].rule_code == "9" and r.indicators[1].heuristic
    assert r.indicators[1].requality_score == 0 and "培训企业负责人人数" in r.indicators[1].reason


def test_rule9_distinct_indicators_or_other_level1_are_not_duplicates():
    assert "9" not in codes(run(row(name="培训企业负责人人数"), row(name="宣传活动场次")), 1)
    assert "9" not in codes(run(row(name="培训企业负责人"), row(name="培训企业负责人", level1="效益指标",
                                                                level2="社会效益指标")), 1)


# --- rule 10: misplaced (heuristic) --------------------------------------------------------------

def test_rule10_payment_rate_under_quantity_and_satisfaction_under_benefit():
    assert run(row(name="培训资金支付率", target="≥90%", actual="95%")).indicators[0].rule_code == "10"
    i = run(row(level1="效益指标", level2="社会效益指标", name="企业培训满意度", target="≥90%", actual="95%")).indicators[0]
    assert i.rule_code == "10" and i.heuristic and i.requality_score == 0


def test_rule10_right_level_is_not_misplaced():
    assert "10" not in codes(run(row(name="培训人次", target="≥500人次", actual="520人次")))
    assert "10" not in codes(run(row(level1="满意度指标", level2="服务对象满意度指标", name="企业培训满意度",
                                     target="≥90%", actual="95%")))


# --- rule 12: deduction without a reason ---------------------------------------------------------

def test_rule12_deduction_without_reason_is_noted():
    assert "12" in codes(run(row(self_score=6)))
    assert "12" not in codes(run(row(self_score=6, reason="部分企业因停产未参训，下年补训")))
    assert "12" not in codes(run(row()))


# --- score formula, totals, recompute-only ------------------------------------------------------

def test_largest_share_decides_and_shares_do_not_add_up():
    i = run(row(name="培训资金支付率", target="≥90%", actual="95%"), evidence=False, requests=[REQUEST]).indicators[0]
    assert {h.code for h in i.hits} >= {"1", "10"} and i.share == 1.0 and i.requality_score == 0


def test_deduction_is_from_the_recomputed_score():
    i = run(row(level2="质量指标", name="合格率", target="≥95%", actual="97%", self_score=10, recomputed=8)).indicators[0]
    assert i.base_score == 8 and i.requality_score == pytest.approx(2)  # 8 − 10 × 0.6
    assert i.hits[0].code == "重算"


def test_totals_and_grades():
    r = run(row(weight=45), row(name="宣传活动场次", weight=45, target="≥10场", actual="10场"),
            self_total=100, self_grade="优")
    assert r.requality_total == pytest.approx(100) and r.requality_grade == "优"
    r = run(row(weight=45), row(name="宣传活动场次", weight=45), evidence=False, self_total=100, self_grade="优",
            requests=[REQUEST])
    assert r.requality_total == pytest.approx(10) and r.requality_grade == "差" and r.gap == pytest.approx(90)
    unasked = run(row(weight=45), row(name="宣传活动场次", weight=45), evidence=False, self_total=100, self_grade="优")
    assert unasked.requality_total == pytest.approx(100) and unasked.supplement is not None


def test_national_is_recompute_only():
    r = run(row(self_score=10, recomputed=7), evidence=False, kouqing=NATIONAL)
    i = r.indicators[0]
    assert i.requality_score == 7 and i.rule_code == "重算" and i.share == 0


# --- overrides -------------------------------------------------------------------------------------

def test_override_score_is_applied_and_recorded():
    r = run(row(), evidence=False, overrides=[Override(indicator="培训企业主要负责人", score=8, reason="现场核验了签到表")])
    i = r.indicators[0]
    assert (i.requality_score, i.overridden, i.override_reason) == (8, True, "现场核验了签到表")
    assert any("现场核验了签到表" in note and "8" in note for note in r.overrides)


def test_override_turns_a_rule_off():
    r = run(row(name="果树种植面积", target="≥200亩", actual="210亩"),
            overrides=[Override(indicator="果树种植面积", rules_off=("2",), reason="项目含林果示范内容")])
    i = r.indicators[0]
    assert i.requality_score == 10 and i.overridden and "2" not in [h.code for h in i.hits]
    assert "项目含林果示范内容" in r.overrides[0]


def test_override_of_another_input_or_unknown_indicator_is_not_used():
    r = run(row(), evidence=False, requests=[REQUEST],
            overrides=[Override(indicator="培训企业主要负责人", source="other.yaml", score=9, reason="x"),
                       Override(indicator="不存在的指标", score=9, reason="y")])
    assert r.indicators[0].requality_score == 0 and not r.indicators[0].overridden
    assert any("不存在的指标" in line for line in r.readings)


def test_override_score_capped_at_the_weight():
    r = run(row(), evidence=False, overrides=[Override(indicator="培训企业主要负责人", score=50, reason="z")])
    assert r.indicators[0].requality_score == 10


# --- provincial warnings ---------------------------------------------------------------------------

def test_red_warning_uses_the_weights_of_the_table():
    rows = (row(weight=80, self_score=80),)
    red = provincial_warnings(subject(*rows, execution_score=16, execution_weight=20), DISTRICT)
    assert [w.level for w in red] == ["red"] and red[0].value == pytest.approx(0.2)
    assert provincial_warnings(subject(*rows, execution_score=19.5, execution_weight=20), DISTRICT) == ()


def test_yellow_warnings_budget_zero_or_unspent():
    assert [w.code for w in provincial_warnings(subject(row(), budget=0.0, executed=0.0), DISTRICT)] == ["BUDGET_ZERO"]
    assert [w.code for w in provincial_warnings(subject(row(), executed=70.0), DISTRICT)] == ["BUDGET_UNSPENT"]
    assert provincial_warnings(subject(row(), executed=85.0), DISTRICT) == ()


def test_exemption_does_not_stand_beside_a_deduction():
    i = run(row(level1="效益指标", level2="社会效益指标", name="安全培训社会效益", target="社会效益明显",
                actual="效益明显")).indicators[0]
    assert i.rule_code == "3" and "8" not in [h.code for h in i.hits]


def test_rule3a_cost_written_as_floor_is_noted_and_a_ceiling_is_not():
    i = run(row(level2="成本指标", name="人均培训成本", target="≥180元", actual="185元")).indicators[0]
    assert "3A" in [h.code for h in i.hits] and i.deduction == 0
    assert "3A" not in codes(run(row(level2="成本指标", name="人均培训成本", target="≤200元", actual="185元")))


# --- rule 11: a unit cost the payment ledger contradicts ----------------------------------------

TRAINED = row("培训企业主要负责人及安全管理人员", target="≥600人次", actual="520人次", weight=20)
SPENT = (("企业主要负责人及安全管理人员培训", 71_800.0), ("安全生产月宣传活动", 24_200.0))


def test_rule11_unit_cost_against_the_ledger_deducts_half():
    cost = row("人均培训成本", level2="成本指标", target="≤200元", actual="185元")
    r = run(TRAINED, cost, spending=SPENT)
    i = r.indicators[1]
    per_head = round(71_800 / 520)  # only the training item is about 培训; the 宣传 item is not
    assert (i.rule_code, i.share, i.deduction, i.heuristic) == ("11", 0.5, 5.0, True)
    assert f"折合每人次约{per_head}元" in i.reason and "而填报185元" in i.reason and "7.18万元" in i.reason
    assert "11" not in codes(r, 0)


def test_rule11_agreeing_cost_or_nothing_to_divide_by_is_not_judged():
    agrees = row("人均培训成本", level2="成本指标", target="≤200元", actual=f"{round(71_800 / 520) + 5}元")
    assert "11" not in codes(run(TRAINED, agrees, spending=SPENT), 1)
    claimed = row("人均培训成本", level2="成本指标", target="≤200元", actual="185元")
    assert "11" not in codes(run(TRAINED, claimed, spending=(("安全生产月宣传活动", 24_200.0),)), 1)
    assert "11" not in codes(run(row("开展宣传活动场次", actual="16场"), claimed, spending=SPENT), 1)
    assert "11" not in codes(run(TRAINED, claimed), 1)  # a published table has no ledger
    total = row("培训费用总额", level2="成本指标", target="≤12万元", actual="9.6万元")
    assert "11" not in codes(run(TRAINED, total, spending=SPENT), 1)  # not a unit cost
