"""What the unit claims (total score, grade, rates, balance) against what the data give
(docs/rules.md §6, §7). Pure; amounts in 元, rates as fractions."""

from __future__ import annotations

from decimal import Decimal

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import Finding, FindingCode, finding
from selfeval_lib.core.funds import FundMetrics
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet


def claim_findings(
    project_year: ProjectYear, funds: FundMetrics, total: float, grade: str, rules: RuleSet
) -> list[Finding]:
    """What the unit claims (score, grade, rates, balance) against what the data give."""
    c = project_year.claims
    p = rules.problems
    out: list[Finding] = []
    if c.total_score is not None and abs(c.total_score - total) > p.claim_tolerance_score:
        out.append(finding(
            FindingCode.CLAIMED_SCORE_MISMATCH,
            f"单位自评总分{fmt.score(c.total_score)}分，按评分规则计算为{fmt.score(total)}分。",
        ))
    if c.grade is not None and c.grade != grade:
        out.append(finding(
            FindingCode.CLAIMED_GRADE_MISMATCH,
            f"单位自评等级为“{c.grade}”，按计算总分{fmt.score(total)}分应为“{grade}”。",
        ))
    survey_rate = project_year.survey.rate if project_year.survey else None
    rate_claims = (
        ("资金到位率", c.arrival_rate, funds.arrival_rate),
        ("预算执行率", c.execution_rate, funds.execution_rate),
        ("资金使用率", c.usage_rate, funds.usage_rate),
        ("满意度", c.satisfaction_rate, survey_rate),
    )
    for label, claimed, computed in rate_claims:
        if claimed is None:
            continue
        if computed is None or abs(claimed - computed) > p.claim_tolerance_rate:
            out.append(finding(
                FindingCode.CLAIMED_FIGURE_MISMATCH,
                f"报告称{label}{fmt.percent(claimed)}，按数据计算为{fmt.percent(computed) if computed is not None else '无法计算（缺少数据）'}。",
                label,
            ))
    if c.balance is not None and abs(c.balance - funds.balance) > Decimal(str(p.amount_tolerance_yuan)):
        out.append(finding(
            FindingCode.CLAIMED_FIGURE_MISMATCH,
            f"报告称结余{fmt.wan(c.balance)}，按数据计算为{fmt.wan(funds.balance)}。",
            "结余",
        ))
    return out
