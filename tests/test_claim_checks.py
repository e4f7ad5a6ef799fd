"""Claim checks: the unit's total, grade, rates and balance against the computed ones."""

from selfeval_lib.core.evaluation import evaluate

from conftest import make_project

ALL = ["经办人", "分管领导", "主要领导", "党委会", "分管区领导"]


def codes(py, rules):
    return [f.code for f in evaluate(py, rules).findings]


def pay(amount, approvals, month=6, voucher="V1", item="甲"):
    return {"date": f"2023-{month:02d}-10", "amount": amount, "payee": "某公司", "item": item,
            "voucher": voucher, "approvals": approvals}


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


