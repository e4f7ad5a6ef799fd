"""Claim checks: the unit's total, grade, rates and balance against the computed ones."""

from selfeval_lib.core.evaluation import evaluate

from conftest import codes, make_project

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


