"""Year-end projections of 绩效运行监控 (docs/monitoring.md), each with its assumption in Chinese. Pure.

Execution, in the order of what the unit knows best: the unit's own figure for month N (its
全年预计执行数, ``stated``); its 用款计划 (spent by N plus what the plan schedules after N: an
annual fee settled under contract in December projects the whole fee in July); the rhythm of
earlier years of the project (executed ÷ their average share of the year spent by the end of
month N); the monthly average (× 12) as the stated fallback. Capped at the 全年预算数. Nothing spent
by N and nothing planned or stated: 0, said so.
Indicators: a cumulative value grows linearly (value ÷ N × 12); a level (in service, coverage,
a rate) stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from selfeval_lib.core.formatting import yuan

Method = Literal["stated", "plan", "earlier_years", "monthly_average", "nothing_spent"]
#: What each method is called in a document (the unit's words, not the method's name).
METHOD_ZH: dict[str, str] = {"stated": "单位预计", "plan": "按用款计划推算", "earlier_years": "按以往年度支出节奏推算",
                             "monthly_average": "按月均支出推算", "nothing_spent": "尚无支出，无法推算"}
_CENT = Decimal("0.01")
ZERO = Decimal(0)


class ExecutionProjection(NamedTuple):
    """The year-end execution projected from month N; ``cumulative_rate`` has 12 entries: the
    actual cumulative 执行率 up to N, then the projection to December (for the chart)."""

    method: Method
    executed: Decimal
    rate: float
    capped: bool
    cumulative_rate: tuple[float, ...]
    assumption: str
    earlier_years: tuple[int, ...] = ()


def months_text(month: int) -> str:
    """"1–7月" (or "1月" for January)."""
    return "1月" if month == 1 else f"1–{month}月"


def _rate(amount: Decimal, budget: Decimal) -> float:
    return float(amount / budget) if budget else 0.0


def _percent(share: Decimal) -> str:
    """A share as prose writes it, without trailing zeros: 0.3 → "30%", 0.9901 → "99.01%"."""
    text = f"{(share * 100).quantize(_CENT, rounding=ROUND_HALF_UP)}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def project_execution(monthly: Sequence[Decimal], month: int, budget: Decimal,
                      earlier: Sequence[tuple[int, Sequence[Decimal]]] = (),
                      largest_payment: tuple[int, Decimal] | None = None,
                      single_payment_share: float = 0.5, *, plan: Sequence[Decimal] = (),
                      plan_basis: str = "", stated: Decimal | None = None) -> ExecutionProjection:
    """Project the year's execution from ``monthly`` spending (12 amounts, only the first ``month``
    count) against ``budget`` (全年预算数), all in 元. ``stated``: the unit's own 全年预计执行数;
    ``plan``: the 用款计划 as 12 monthly amounts (empty: none) and ``plan_basis`` what it rests on
    ("按合同约定于12月年度结算"); ``earlier``: (year, 12 monthly amounts) of earlier years;
    ``largest_payment``: (month, amount) of the largest payment up to N, which, at
    ``single_payment_share`` of the spending or more, makes the average's assumption warn of an
    overestimate. The first of stated, plan, earlier years, monthly average that applies is used."""
    spent = list(monthly[:month])
    cumulative: list[Decimal] = []
    running = ZERO
    for amount in spent:
        running += amount
        cumulative.append(running)
    done = running
    span = months_text(month)
    planned_after = [plan[k] if k < len(plan) else ZERO for k in range(month, 12)] if plan else []
    path_after: list[Decimal] | None = None
    if stated is not None:
        projected, method = stated, "stated"
        assumption = f"单位预计全年执行{yuan(stated)}"
    elif plan and month < 12:
        rest = sum(planned_after, ZERO)
        projected, method = done + rest, "plan"
        later = f"{month + 1}–12月" if month < 11 else "12月"
        assumption = (f"按用款计划推算（{plan_basis.rstrip('。；;')}，{later}计划支付{yuan(rest)}）" if plan_basis
                      else f"按用款计划推算（{later}计划支付{yuan(rest)}）")
        running_after, path_after = done, []
        for amount in planned_after:
            running_after += amount
            path_after.append(running_after)
    elif done == 0:
        return ExecutionProjection("nothing_spent", ZERO, 0.0, False, (0.0,) * 12,
                                   f"截至{month}月末尚未支出，也未编制用款计划，无法推算全年预计执行数")
    else:
        shares: list[tuple[int, Decimal]] = []
        for year, amounts in earlier:
            total = sum(amounts, ZERO)
            by_n = sum(list(amounts)[:month], ZERO)
            if total > 0 and by_n > 0:
                shares.append((year, by_n / total))
        years = tuple(sorted(year for year, _ in shares))
        if shares and month < 12:
            share = sum((s for _, s in shares), ZERO) / len(shares)
            projected, method = done / share, "earlier_years"
            assumption = (f"按以往年度同期支出占全年比例推算（{'、'.join(map(str, years))}年{span}支出"
                          f"平均占全年的{_percent(share)}）")
            return _finish(method, projected, done, budget, cumulative, month, assumption, years)
        if month == 12:
            projected, method, assumption = done, "monthly_average", "12月末的执行数即全年执行数"
        else:
            projected = done / month * 12
            method = "monthly_average"
            assumption = f"未编制用款计划，按{span}月均支出推算（月均{yuan(done / month)}）"
            if largest_payment is not None and largest_payment[1] >= done * Decimal(repr(single_payment_share)):
                pay_month, amount = largest_payment
                assumption += (f"；{span}支出中{pay_month}月一笔支付{yuan(amount)}占{_percent(amount / done)}，"
                               f"按月均推算可能高估全年执行")
    return _finish(method, projected, done, budget, cumulative, month, assumption, (), path_after)


def _finish(method: Method, projected: Decimal, done: Decimal, budget: Decimal, cumulative: list[Decimal],
            month: int, assumption: str, years: tuple[int, ...],
            path_after: list[Decimal] | None = None) -> ExecutionProjection:
    """Round, cap at the budget and draw the path to December (the plan's months, or a straight line)."""
    projected = projected.quantize(_CENT, rounding=ROUND_HALF_UP)
    capped = projected > budget
    if capped:
        projected = budget
        assumption += "，以全年预算数为上限"
    path = [_rate(c, budget) for c in cumulative]
    if path_after is not None:
        path += [_rate(min(c, budget), budget) for c in path_after]
    else:
        for k in range(month + 1, 13):
            path.append(_rate(done + (projected - done) * (k - month) / (12 - month), budget))
    return ExecutionProjection(method, projected, _rate(projected, budget), capped, tuple(path), assumption, years)


def project_value(value: float, month: int, cumulative: bool, *, whole: bool = False) -> float:
    """A value at the end of ``month`` projected to December: ÷ N × 12 when it accumulates, else
    itself. ``whole``: a count of items (项, 人次, 台 …, in base units) is projected to a whole
    number, half up and never below what is done (1 项 by July is 2项 a year, not 1.71项)."""
    if not cumulative:
        return value
    projected = value / month * 12
    if whole:
        projected = max(float(Decimal(repr(projected)).quantize(Decimal(1), rounding=ROUND_HALF_UP)), value)
    return projected


def value_text(value: float, factor: float, unit: str) -> str:
    """A base-unit value in the target's unit, two decimals at most: 3.43 → "3.43部"."""
    text = f"{Decimal(repr(value / factor)).quantize(_CENT, rounding=ROUND_HALF_UP):f}"
    return f"{text.rstrip('0').rstrip('.') if '.' in text else text}{unit}"
