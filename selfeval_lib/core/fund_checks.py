"""Checks of the funds (docs/rules.md §3, §7.3, §8): budget execution, arrival, rhythm and ledger
consistency. Pure. The execution rules (:func:`execution_over_budget`,
:func:`execution_reason_missing`) are the ones the review applies to a published funds row.
Amounts in 元, rates as fractions.
"""

from __future__ import annotations

from decimal import Decimal

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import Finding, FindingCode, finding
from selfeval_lib.core.funds import FundMetrics
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet


def execution_over_budget(rate: float) -> bool:
    """EXECUTION_OVER_BUDGET: 执行率 above 100%."""
    return rate > 1


def execution_reason_floor(rules: RuleSet) -> float:
    """The 执行率 below which a written reason is required: ``execution.reason_required_below``,
    else ``problems.execution_rate_min``."""
    floor = rules.execution.reason_required_below
    return floor if floor is not None else rules.problems.execution_rate_min


def execution_reason_missing(rate: float, reason: str, rules: RuleSet) -> bool:
    """EXECUTION_REASON_MISSING: 执行率 below :func:`execution_reason_floor` with no reason written."""
    return rate < execution_reason_floor(rules) and not reason.strip()


def fund_findings(project_year: ProjectYear, funds: FundMetrics, rules: RuleSet) -> list[Finding]:
    """Budget execution, arrival, rhythm and ledger consistency (docs/rules.md §3, §7.3, §8)."""
    p = rules.problems
    out: list[Finding] = []
    f = project_year.funds
    C = FindingCode
    if execution_over_budget(funds.execution_rate):
        out.append(finding(
            C.EXECUTION_OVER_BUDGET,
            f"全年执行数{fmt.wan(funds.executed)}超过全年预算数{fmt.wan(funds.budget_full_year)}，预算执行率{fmt.percent(funds.execution_rate)}。",
        ))
    elif funds.execution_rate < p.execution_rate_min:
        out.append(finding(
            C.EXECUTION_LOW,
            f"预算执行率{fmt.percent(funds.execution_rate)}，低于{fmt.percent(p.execution_rate_min)}，结余{fmt.wan(funds.balance)}。",
        ))
    if execution_reason_missing(funds.execution_rate, f.execution_shortfall_reason, rules):
        out.append(finding(
            C.EXECUTION_REASON_MISSING,
            f"预算执行率{fmt.percent(funds.execution_rate)}低于{fmt.percent(execution_reason_floor(rules))}，但未说明原因。",
        ))
    if funds.arrived > funds.budget_full_year:
        out.append(finding(
            C.ARRIVAL_EXCEEDS_BUDGET,
            f"到位资金{fmt.wan(funds.arrived)}超过全年预算数{fmt.wan(funds.budget_full_year)}。",
        ))
    elif funds.arrival_rate < 1:
        out.append(finding(
            C.ARRIVAL_INCOMPLETE,
            f"资金到位率{fmt.percent(funds.arrival_rate)}，到位{fmt.wan(funds.arrived)}，全年预算{fmt.wan(funds.budget_full_year)}。",
        ))
    if funds.arrival_delay_days is not None and funds.arrival_delay_days > p.arrival_delay_days_max:
        out.append(finding(
            C.ARRIVAL_LATE,
            f"预算于{f.approved_date.isoformat()}批复，资金至{funds.last_arrival.isoformat()}才全部到位，间隔{funds.arrival_delay_days}天。",
        ))
    if funds.arrived and funds.executed > funds.arrived:
        out.append(finding(
            C.SPENDING_EXCEEDS_ARRIVALS,
            f"支付合计{fmt.wan(funds.executed)}超过到位资金{fmt.wan(funds.arrived)}，资金使用率{fmt.percent(funds.usage_rate)}。",
        ))
    if funds.executed and (funds.q4_share > p.q4_share_max or funds.december_share > p.december_share_max):
        out.append(finding(
            C.YEAR_END_SPENDING,
            f"支出集中在年末：第四季度支出占全年{fmt.percent(funds.q4_share)}，12月支出占{fmt.percent(funds.december_share)}，"
            f"而6月末累计执行率仅{fmt.percent(funds.monthly_cumulative_rate[5])}（序时进度50%）。",
        ))
    tol = Decimal(str(p.amount_tolerance_yuan))
    if f.reported_executed is not None and abs(f.reported_executed - funds.executed) > tol:
        out.append(finding(
            C.EXECUTED_MISMATCH,
            f"填报的全年执行数{fmt.wan(f.reported_executed)}与支付明细合计{fmt.wan(funds.executed)}不一致。",
        ))
    budgets = [i.budget for i in project_year.project.items]
    if all(b is not None for b in budgets):
        items_total = sum(budgets, Decimal(0))
        if abs(items_total - funds.budget_full_year) > tol:
            out.append(finding(
                C.ITEMS_BUDGET_MISMATCH,
                f"各支出内容预算合计{fmt.wan(items_total)}与全年预算数{fmt.wan(funds.budget_full_year)}不一致。",
            ))
    for item in funds.items:
        if item.budget is not None and item.executed > item.budget + tol:
            out.append(finding(
                C.ITEM_OVERSPENT,
                f"支出内容“{item.name}”支付{fmt.wan(item.executed)}，超过其预算{fmt.wan(item.budget)}。",
                item.name,
            ))
    return out
