"""``evaluate(project_year, rules) -> Evaluation``: funds, scores, checks in one pure call.

The project-year must have passed :func:`selfeval_lib.inputs.validation.check_project_year` (the loader
does this); evaluation itself opens no file, reads no clock and prints nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from selfeval_lib.core.approvals import VoucherStatus, approval_findings, voucher_statuses
from selfeval_lib.core.claim_checks import claim_findings
from selfeval_lib.core.findings import Finding, sort_findings
from selfeval_lib.core.fund_checks import fund_findings
from selfeval_lib.core.indicator_checks import indicator_findings
from selfeval_lib.core.funds import FundMetrics, fund_metrics
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.core.scoring import IndicatorScore, execution_score, score_indicator, total_score


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything computed for one project-year under one rule set (amounts in 元)."""

    project_year: ProjectYear
    rules: RuleSet
    funds: FundMetrics
    execution_weight: float
    execution_score: float
    indicators: tuple[IndicatorScore, ...]
    total: float
    grade: str
    vouchers: tuple[VoucherStatus, ...]
    findings: tuple[Finding, ...]


def evaluate(project_year: ProjectYear, rules: RuleSet) -> Evaluation:
    """Compute fund metrics, every score, the total, the grade and all findings."""
    year = project_year.project.year
    funds = fund_metrics(project_year)
    exec_score = execution_score(funds.execution_rate, rules.execution)
    indicators = [score_indicator(i, rules, year) for i in project_year.indicators]
    total = total_score(exec_score, [s.score for s in indicators])
    grade = rules.grade_of(total)
    vouchers = voucher_statuses(project_year.funds.payments, rules.approvals)
    findings = sort_findings(
        fund_findings(project_year, funds, rules)
        + approval_findings(vouchers, rules.approvals)
        + indicator_findings(project_year, indicators, rules)
        + claim_findings(project_year, funds, total, grade, rules)
    )
    return Evaluation(
        project_year=project_year,
        rules=rules,
        funds=funds,
        execution_weight=rules.execution.weight,
        execution_score=exec_score,
        indicators=tuple(indicators),
        total=total,
        grade=grade,
        vouchers=vouchers,
        findings=findings,
    )


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def to_dict(ev: Evaluation) -> dict[str, Any]:
    """The evaluation as plain JSON-ready data: amounts in 元, rates as fractions, full precision."""
    p = ev.project_year.project
    f = ev.funds
    return {
        "project": {
            "id": p.id, "name": p.name, "unit": p.unit, "department": p.department,
            "year": p.year, "rule_set": ev.rules.name,
        },
        "funds": {
            "declared": _number(f.declared),
            "budget_initial": _number(f.budget_initial),
            "adjustments_total": _number(f.adjustments_total),
            "budget_full_year": _number(f.budget_full_year),
            "arrived": _number(f.arrived),
            "executed": _number(f.executed),
            "arrival_rate": f.arrival_rate,
            "execution_rate": f.execution_rate,
            "usage_rate": f.usage_rate,
            "balance": _number(f.balance),
            "first_arrival": f.first_arrival.isoformat() if f.first_arrival else None,
            "last_arrival": f.last_arrival.isoformat() if f.last_arrival else None,
            "arrival_delay_days": f.arrival_delay_days,
            "monthly_executed": [_number(m) for m in f.monthly_executed],
            "monthly_cumulative_rate": list(f.monthly_cumulative_rate),
            "time_progress": list(f.time_progress),
            "q4_share": f.q4_share,
            "december_share": f.december_share,
            "items": [
                {"name": i.name, "budget": _number(i.budget), "executed": _number(i.executed),
                 "share_of_executed": i.share_of_executed, "execution_rate": i.execution_rate}
                for i in f.items
            ],
        },
        "scores": {
            "execution": {"weight": ev.execution_weight, "score": ev.execution_score,
                          "rate": f.execution_rate},
            "indicators": [
                {"level1": s.level1, "level2": s.level2, "name": s.name, "target": s.target,
                 "actual": s.actual, "weight": s.weight, "score": s.score, "kind": s.kind,
                 "direction": s.direction, "band": s.band, "deviation_reason": s.deviation_reason}
                for s in ev.indicators
            ],
            "total": ev.total,
            "grade": ev.grade,
        },
        "vouchers": [
            {"voucher": v.voucher, "date": v.date.isoformat(), "amount": _number(v.amount), "payee": v.payee,
             "item": v.item, "required": list(v.required), "given": list(v.given),
             "missing": list(v.missing), "compliant": v.compliant}
            for v in ev.vouchers
        ],
        "findings": [
            {"code": x.code, "severity": x.severity, "message": x.message,
             "suggestion": x.suggestion, "subject": x.subject}
            for x in ev.findings
        ],
    }
