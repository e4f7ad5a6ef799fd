"""Fund metrics of a project-year (docs/rules.md §3 and §8). Pure: models in, values out.

Amounts are ``Decimal`` 元; rates are ``float`` fractions.
- 全年预算数 = 年初预算数 (批复数) + Σ adjustments; it is the denominator, 年初预算数 never is.
- 资金到位率 = 到位数 / 全年预算数; 预算执行率 = 执行数 / 全年预算数; 资金使用率 = 执行数 / 到位数;
  结余 = 全年预算数 − 执行数. 执行数 is the sum of the payment ledger.
- 序时进度 of month m = m / 12.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from selfeval_lib.core.model import Funds, ProjectYear

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ItemBreakdown:
    """Budget and spending of one content item, 元."""

    name: str
    budget: Decimal | None
    executed: Decimal
    share_of_executed: float
    execution_rate: float | None


@dataclass(frozen=True, slots=True)
class FundMetrics:
    """The fund figures of one year; amounts in 元, rates as fractions."""

    declared: Decimal
    budget_initial: Decimal
    adjustments_total: Decimal
    budget_full_year: Decimal
    arrived: Decimal
    executed: Decimal
    arrival_rate: float
    execution_rate: float
    usage_rate: float | None
    balance: Decimal
    first_arrival: date | None
    last_arrival: date | None
    arrival_delay_days: int | None
    monthly_executed: tuple[Decimal, ...]
    monthly_cumulative_rate: tuple[float, ...]
    time_progress: tuple[float, ...]
    q4_share: float
    december_share: float
    items: tuple[ItemBreakdown, ...]


def ratio(numerator: Decimal, denominator: Decimal) -> float:
    """numerator / denominator as a float; 0 when the denominator is 0."""
    return float(numerator / denominator) if denominator else 0.0


def budget_full_year(funds: Funds) -> Decimal:
    """全年预算数 = 批复数 + Σ adjustments, 元."""
    return funds.approved + sum((a.amount for a in funds.adjustments), ZERO)


def time_progress(month: int) -> float:
    """序时进度 at the end of ``month``: month / 12."""
    return month / 12


def fund_metrics(project_year: ProjectYear) -> FundMetrics:
    """All fund figures of one project-year (到位率, 执行率, 使用率, 结余, monthly rhythm …)."""
    funds = project_year.funds
    budget = budget_full_year(funds)
    arrived = sum((a.amount for a in funds.arrivals), ZERO)

    monthly = [ZERO] * 12
    by_item: dict[str, Decimal] = {}
    for payment in funds.payments:
        monthly[payment.date.month - 1] += payment.amount
        by_item[payment.item] = by_item.get(payment.item, ZERO) + payment.amount
    executed = sum(monthly, ZERO)

    cumulative: list[float] = []
    running = ZERO
    for amount in monthly:
        running += amount
        cumulative.append(ratio(running, budget))

    arrival_dates = sorted(a.date for a in funds.arrivals)
    first_arrival = arrival_dates[0] if arrival_dates else None
    last_arrival = arrival_dates[-1] if arrival_dates else None
    delay = (
        (last_arrival - funds.approved_date).days
        if last_arrival is not None and funds.approved_date is not None
        else None
    )

    items = tuple(
        ItemBreakdown(
            name=item.name,
            budget=item.budget,
            executed=by_item.get(item.name, ZERO),
            share_of_executed=ratio(by_item.get(item.name, ZERO), executed),
            execution_rate=ratio(by_item.get(item.name, ZERO), item.budget) if item.budget else None,
        )
        for item in project_year.project.items
    )

    return FundMetrics(
        declared=funds.declared,
        budget_initial=funds.approved,
        adjustments_total=budget - funds.approved,
        budget_full_year=budget,
        arrived=arrived,
        executed=executed,
        arrival_rate=ratio(arrived, budget),
        execution_rate=ratio(executed, budget),
        usage_rate=ratio(executed, arrived) if arrived else None,
        balance=budget - executed,
        first_arrival=first_arrival,
        last_arrival=last_arrival,
        arrival_delay_days=delay,
        monthly_executed=tuple(monthly),
        monthly_cumulative_rate=tuple(cumulative),
        time_progress=tuple(time_progress(m) for m in range(1, 13)),
        q4_share=ratio(monthly[9] + monthly[10] + monthly[11], executed),
        december_share=ratio(monthly[11], executed),
        items=items,
    )
