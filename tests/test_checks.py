"""Each finding code with data that raises it and data that does not."""

from decimal import Decimal

from selfeval_lib.core.checks import required_roles, voucher_statuses
from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.model import Payment

from conftest import make_project

ALL = ["经办人", "分管领导", "主要领导", "党委会", "分管区领导"]


def codes(py, rules):
    return [f.code for f in evaluate(py, rules).findings]


def pay(amount, approvals, month=6, voucher="V1", item="甲"):
    return {"date": f"2023-{month:02d}-10", "amount": amount, "payee": "某公司", "item": item,
            "voucher": voucher, "approvals": approvals}


def test_clean_project_has_no_findings(national):
    assert codes(make_project(), national) == []


def test_approval_thresholds_include_the_amount(national):
    rule = national.approvals
    assert required_roles(Decimal("4999.99"), rule) == ("经办人", "分管领导", "主要领导")
    assert required_roles(Decimal(5000), rule) == ("经办人", "分管领导", "主要领导", "党委会")
    assert required_roles(Decimal(10000), rule) == tuple(ALL)
    (status,) = voucher_statuses([Payment.model_validate(pay(12000, ALL[:4]))], rule)
    assert status.missing == ("分管区领导",) and not status.compliant


def test_approval_findings(national):
    payments = [pay(3000, ["经办人", "分管领导"], voucher="A"), pay(6000, ALL[:3], voucher="B"),
                pay(12000, ALL[:4], voucher="C"), pay(79000, ALL, voucher="D")]
    ev = evaluate(make_project(funds={"payments": payments}), national)
    by_code = {(f.code, f.subject) for f in ev.findings}
    assert ("APPROVAL_SIGNATURE_MISSING", "A") in by_code
    assert ("APPROVAL_ESCALATION_MISSING", "B") in by_code
    assert ("APPROVAL_ESCALATION_MISSING", "C") in by_code
    assert not any(s == "D" for _, s in by_code)
    assert [v.compliant for v in ev.vouchers] == [False, False, False, True]


def test_year_end_spending(national):
    assert "YEAR_END_SPENDING" in codes(make_project(funds={"payments": [pay(100000, ALL, month=12)]}), national)
    spread = [pay(25000, ALL, month=m, voucher=f"V{m}") for m in (3, 6, 9, 11)]
    assert "YEAR_END_SPENDING" not in codes(make_project(funds={"payments": spread}), national)


def test_execution_findings(national, sichuan):
    low = make_project(funds={"payments": [pay(80000, ALL)]})
    assert {"EXECUTION_LOW", "EXECUTION_REASON_MISSING"} <= set(codes(low, national))
    explained = make_project(funds={"payments": [pay(80000, ALL)], "execution_shortfall_reason": "项目延期"})
    assert "EXECUTION_REASON_MISSING" not in codes(explained, national)
    assert "EXECUTION_LOW" in codes(explained, national)
    over = make_project(funds={"payments": [pay(110000, ALL)]})
    assert "EXECUTION_OVER_BUDGET" in codes(over, national)
    assert "SPENDING_EXCEEDS_ARRIVALS" in codes(over, national)


def test_arrival_findings(national):
    part = make_project(funds={"arrivals": [{"date": "2023-02-01", "amount": 100000}, {"date": "2023-11-01", "amount": 1}]})
    assert "ARRIVAL_EXCEEDS_BUDGET" in codes(part, national)
    short = make_project(funds={"arrivals": [{"date": "2023-02-01", "amount": 90000}],
                                "payments": [pay(90000, ALL)]})
    assert "ARRIVAL_INCOMPLETE" in codes(short, national)
    late = make_project(funds={"arrivals": [{"date": "2023-06-01", "amount": 100000}]})
    assert "ARRIVAL_LATE" in codes(late, national)
    assert "ARRIVAL_LATE" not in codes(make_project(), national)


def test_ledger_consistency(national):
    assert "EXECUTED_MISMATCH" in codes(make_project(funds={"reported_executed": 99000}), national)
    assert "EXECUTED_MISMATCH" not in codes(make_project(funds={"reported_executed": 100000}), national)
    items = {**make_project().project.model_dump(), "items": [{"name": "甲", "budget": 50000}, {"name": "乙", "budget": 30000}]}
    findings = codes(make_project(project=items), national)
    assert "ITEMS_BUDGET_MISMATCH" in findings and "ITEM_OVERSPENT" in findings


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


def test_claims(national):
    honest = make_project(claims={"total_score": 100, "grade": "优", "arrival_rate": 1, "execution_rate": 1,
                                  "usage_rate": 1, "satisfaction_rate": 0.92, "balance": 0})
    total = evaluate(honest, national).total
    honest = make_project(claims={**honest.claims.model_dump(), "total_score": total})
    assert codes(honest, national) == []
    wrong = make_project(claims={"total_score": 95, "grade": "良", "arrival_rate": 0.9, "balance": 100})
    found = codes(wrong, national)
    assert {"CLAIMED_SCORE_MISMATCH", "CLAIMED_GRADE_MISMATCH"} <= set(found)
    assert found.count("CLAIMED_FIGURE_MISMATCH") == 2


def test_findings_are_sorted_and_carry_chinese_text(national):
    py = make_project(funds={"payments": [pay(100000, ["经办人"], month=12)]}, claims={"grade": "差"})
    ev = evaluate(py, national)
    order = {"high": 0, "medium": 1, "low": 2}
    assert [order[f.severity] for f in ev.findings] == sorted(order[f.severity] for f in ev.findings)
    for f in ev.findings:
        assert f.message and f.suggestion
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message + f.suggestion)


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
