"""Fund checks: each code with data that raises it and data that does not; the execution rules
the review shares."""

from selfeval_lib.core.fund_checks import execution_over_budget, execution_reason_floor, execution_reason_missing

from conftest import ALL, codes, make_project, pay

def test_clean_project_has_no_findings(national):
    assert codes(make_project(), national) == []


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


def test_execution_reason_rules(national, sichuan):
    assert execution_reason_floor(national) == national.problems.execution_rate_min
    assert execution_reason_floor(sichuan) == 0.9
    assert execution_reason_missing(0.85, "", sichuan) and execution_reason_missing(0.85, "  ", sichuan)
    assert not execution_reason_missing(0.85, "设备尾款次年支付", sichuan)
    assert not execution_reason_missing(0.9, "", sichuan)
    assert execution_over_budget(1.0001) and not execution_over_budget(1.0)
