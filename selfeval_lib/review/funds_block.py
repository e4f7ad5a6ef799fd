"""The 其中 rows of a published funds block (当年财政拨款, 上年结转资金, 其他资金 …) against its
总额 row: the amounts the execution is recomputed from when the 总额 row is blank or 0, and the
findings when the two disagree (docs/rules.md §3, §7.3). Pure."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import FindingCode
from selfeval_lib.review.rows import review_finding
from selfeval_lib.review.table import PublishedFunds, ReviewFinding

C = FindingCode
#: The 其中 rows agree with the 总额 row within this many units of the printed amount unit.
AMOUNT_TOLERANCE = 0.01

#: The review's cell reader: (value, row, field, label, amount=True) → number or None.
CellReader = Callable[..., "float | None"]


@dataclass
class FundsAmounts:
    """全年预算数 and 全年执行数 the execution is recomputed from, and what the review says about them."""

    budget: float | None
    executed: float | None
    findings: list[ReviewFinding] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)


def _sum(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return math.fsum(present) if present else None


def funds_amounts(funds: PublishedFunds, budget: float | None, executed: float | None,
                  cell: CellReader) -> FundsAmounts:
    """The amounts to recompute from: the 总额 row's, or the sum of the 其中 rows when the 总额 row
    is blank or 0 and they hold money (FUNDS_TOTAL_BLANK and a reading); a 总额 that differs from
    the sum of the 其中 rows is FUNDS_BREAKDOWN_MISMATCH. ``cell`` reads a cell (an unreadable one
    becomes the caller's finding)."""
    out = FundsAmounts(budget, executed)
    if not funds.breakdown:
        return out
    row = funds.row or "资金"
    budgets = [cell(line.budget_full_year, line.row or row, "全年预算数", f"资金“{line.label}”行：", amount=True)
               for line in funds.breakdown]
    executions = [cell(line.executed, line.row or row, "全年执行数", f"资金“{line.label}”行：", amount=True)
                  for line in funds.breakdown]
    budget_sum, executed_sum = _sum(budgets), _sum(executions)
    labels = "、".join(line.label for line, b in zip(funds.breakdown, budgets) if b)
    unit = funds.amount_unit
    if not budget and not executed:
        if budget_sum:
            out.findings.append(review_finding(
                row, "全年预算数", C.FUNDS_TOTAL_BLANK, funds.budget_full_year, round(budget_sum, 4),
                f"资金表总额行的全年预算数、全年执行数为空或0，而“其中”各行（{labels}）合计全年预算数"
                f"{fmt.score(budget_sum, trim=True)}{unit}、全年执行数{fmt.score(executed_sum or 0, trim=True)}{unit}。"))
            out.readings.append(f"资金表总额行为空或0，执行率按“其中”各行（{labels}）的合计复核：全年预算数"
                                f"{fmt.score(budget_sum, trim=True)}{unit}，全年执行数{fmt.score(executed_sum or 0, trim=True)}{unit}。")
            out.budget, out.executed = budget_sum, executed_sum or 0.0
        return out
    for name, total, total_cell, part in (("全年预算数", budget, funds.budget_full_year, budget_sum),
                                          ("全年执行数", executed, funds.executed, executed_sum)):
        if total is not None and part is not None and abs(total - part) > AMOUNT_TOLERANCE:
            out.findings.append(review_finding(
                row, name, C.FUNDS_BREAKDOWN_MISMATCH, total_cell, round(part, 4),
                f"资金表{name}总额填{fmt.score(total, trim=True)}{unit}，“其中”各行合计为{fmt.score(part, trim=True)}{unit}，两者不一致。"))
    return out
