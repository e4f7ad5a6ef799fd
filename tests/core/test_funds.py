from decimal import Decimal

import pytest

from selfeval_lib.core.funds import budget_full_year, fund_metrics, ratio, time_progress

from conftest import make_project


def test_full_year_budget_adds_adjustments_and_is_the_denominator():
    py = make_project(funds={"adjustments": [{"date": "2023-08-01", "amount": -20000, "reason": "调减"}],
                             "arrivals": [{"date": "2023-02-01", "amount": 80000}]})
    m = fund_metrics(py)
    assert budget_full_year(py.funds) == Decimal(80000)
    assert m.budget_initial == Decimal(100000) and m.adjustments_total == Decimal(-20000)
    assert m.executed == Decimal(100000)
    assert m.execution_rate == pytest.approx(100000 / 80000)   # not / 年初预算数
    assert m.arrival_rate == 1.0
    assert m.usage_rate == pytest.approx(100000 / 80000)
    assert m.balance == Decimal(-20000)


def test_rates_and_balance():
    py = make_project(funds={"arrivals": [{"date": "2023-03-01", "amount": 50000},
                                          {"date": "2023-07-20", "amount": 40000}],
                             "payments": [{"date": "2023-12-10", "amount": 72000, "payee": "甲方", "item": "甲",
                                           "voucher": "V1", "approvals": []}]})
    m = fund_metrics(py)
    assert m.arrived == Decimal(90000)
    assert (m.arrival_rate, m.execution_rate) == (0.9, 0.72)
    assert m.usage_rate == pytest.approx(0.8)
    assert m.balance == Decimal(28000)
    assert m.first_arrival.isoformat() == "2023-03-01" and m.last_arrival.isoformat() == "2023-07-20"
    assert m.arrival_delay_days == (m.last_arrival - py.funds.approved_date).days == 191
    assert m.december_share == 1.0 and m.q4_share == 1.0


def test_monthly_cumulative_rate_against_time_progress():
    m = fund_metrics(make_project())   # 25,000 in March, May, August, October of a 100,000 budget
    assert m.monthly_cumulative_rate == (0, 0, .25, .25, .5, .5, .5, .75, .75, 1, 1, 1)
    assert m.time_progress[5] == 0.5 and time_progress(12) == 1
    assert m.q4_share == 0.25 and m.december_share == 0


def test_line_items():
    m = fund_metrics(make_project())
    a, b = m.items
    assert (a.name, a.budget, a.executed, a.share_of_executed, a.execution_rate) == ("甲", Decimal(50000), Decimal(50000), 0.5, 1.0)
    assert (b.name, b.executed, b.execution_rate) == ("乙", Decimal(50000), 1.0)


def test_no_arrivals_and_no_payments():
    m = fund_metrics(make_project(funds={"arrivals": [], "payments": []}))
    assert m.arrival_rate == 0 and m.usage_rate is None and m.q4_share == 0
    assert m.arrival_delay_days is None


def test_sums_are_exact_in_yuan():
    pays = [{"date": "2023-06-01", "amount": "0.10", "payee": "x", "item": "甲", "voucher": f"V{i}", "approvals": []}
            for i in range(3)]
    m = fund_metrics(make_project(funds={"payments": pays}))
    assert m.executed == Decimal("0.30")
    assert ratio(Decimal(1), Decimal(0)) == 0.0
