"""Checks a careful reviewer makes (rules.md §7–§8): payment approvals, consistency, problems.

Pure: models and computed metrics in, :class:`Finding` values out. Each finding has a code, a
severity, a Chinese message fit for the report's 存在的问题 and a suggested 建议.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Literal, NamedTuple

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.funds import FundMetrics
from selfeval_lib.core.model import Payment, ProjectYear
from selfeval_lib.core.quantity import Quantity, Text, is_count, parse_value
from selfeval_lib.core.rules import ApprovalRule, RuleSet
from selfeval_lib.core.scoring import IndicatorScore

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}

#: Negation or delay in a qualitative actual that no band's words caught ("未按计划推进").
_NEGATION = re.compile(r"未|没|不|尚|无法|延期|滞后|推迟")
_PLACEHOLDER = re.compile(r"^(指标\s*\d+|x+|X+|×+|…+|\.{3,}|……|待定|待填|待补充|示例|XX+.*)$")


def is_quantity_level2(level2: str) -> bool:
    """数量指标 and its variants."""
    return "数量" in level2


def is_cost_level2(level2: str) -> bool:
    """成本指标 and its provincial variants (经济成本指标, 社会成本指标 …)."""
    return "成本" in level2


def is_placeholder(text: str) -> bool:
    """Text left from a template: "指标1", "……", "XX", "待定" …"""
    return bool(_PLACEHOLDER.match(text.strip()))


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found; ``subject`` names what it is about (a voucher, an indicator …)."""

    code: str
    severity: Severity
    message: str
    suggestion: str
    subject: str = ""


class VoucherStatus(NamedTuple):
    """Approval status of one payment voucher under the rule set's approval rule (a tuple: one is
    built per payment, so it must be cheap)."""

    voucher: str
    date: dt.date
    amount: Decimal
    payee: str
    item: str
    required: tuple[str, ...]
    given: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def compliant(self) -> bool:
        return not self.missing


ThresholdTable = tuple[tuple[Decimal, tuple[str, ...]], ...]


def _threshold_table(rule: ApprovalRule) -> ThresholdTable:
    return tuple((Decimal(str(t.min_amount)), t.roles) for t in rule.thresholds)


def _required(amount: Decimal, every_voucher: tuple[str, ...], table: ThresholdTable) -> tuple[str, ...]:
    roles = every_voucher
    for min_amount, extra in table:
        if amount >= min_amount:
            roles += tuple(r for r in extra if r not in roles)
    return roles


def required_roles(amount: Decimal, rule: ApprovalRule) -> tuple[str, ...]:
    """Roles that must sign a payment of ``amount`` 元: every voucher's roles, plus those of each
    threshold the amount reaches (以上 includes the amount: 5,000元 needs the 5,000元 roles)."""
    return _required(amount, rule.every_voucher, _threshold_table(rule))


def voucher_statuses(payments: Iterable[Payment], rule: ApprovalRule) -> tuple[VoucherStatus, ...]:
    """Which required signatures each payment has and which it lacks."""
    table = _threshold_table(rule)
    out = []
    for p in payments:
        required = _required(p.amount, rule.every_voucher, table)
        given = tuple(p.approvals)
        out.append(VoucherStatus(
            voucher=p.voucher, date=p.date, amount=p.amount, payee=p.payee, item=p.item,
            required=required, given=given, missing=tuple(r for r in required if r not in given),
        ))
    return tuple(out)


def approval_findings(statuses: Iterable[VoucherStatus], rule: ApprovalRule) -> list[Finding]:
    """One finding per voucher that lacks a signature, split into the every-voucher roles and
    the roles its amount calls for (党委会, 分管区领导 …)."""
    findings = []
    base = set(rule.every_voucher)
    for s in statuses:
        basic = [r for r in s.missing if r in base]
        escalated = [r for r in s.missing if r not in base]
        if basic:
            findings.append(Finding(
                "APPROVAL_SIGNATURE_MISSING", "high",
                f"支付凭证 {s.voucher}（{s.date}，{fmt.yuan(s.amount)}，{s.payee}）缺少{'、'.join(basic)}签字。",
                "补齐支付凭证审批签字，严格执行“经办人、分管领导、主要领导”逐级审签制度。",
                s.voucher,
            ))
        if escalated:
            findings.append(Finding(
                "APPROVAL_ESCALATION_MISSING", "high",
                f"支付凭证 {s.voucher}（{s.date}，{fmt.yuan(s.amount)}）达到大额支付标准，但缺少{'、'.join(escalated)}审批。",
                "大额支付须按规定提交集体决策并报分管领导审批，补充会议纪要等审批依据。",
                s.voucher,
            ))
    return findings


def fund_findings(project_year: ProjectYear, funds: FundMetrics, rules: RuleSet) -> list[Finding]:
    """Budget execution, arrival, rhythm and ledger consistency (rules.md §3, §7.3, §8)."""
    p = rules.problems
    out: list[Finding] = []
    f = project_year.funds
    if funds.execution_rate > 1:
        out.append(Finding(
            "EXECUTION_OVER_BUDGET", "high",
            f"全年执行数{fmt.wan(funds.executed)}超过全年预算数{fmt.wan(funds.budget_full_year)}，预算执行率{fmt.percent(funds.execution_rate)}。",
            "核实超预算支出的资金来源与审批手续，超出部分按规定办理预算调整。",
        ))
    elif funds.execution_rate < p.execution_rate_min:
        out.append(Finding(
            "EXECUTION_LOW", "medium",
            f"预算执行率{fmt.percent(funds.execution_rate)}，低于{fmt.percent(p.execution_rate_min)}，结余{fmt.wan(funds.balance)}。",
            "加快预算执行进度，结余资金按规定收回或统筹使用，今后据实编制预算。",
        ))
    reason_floor = rules.execution.reason_required_below
    floor = reason_floor if reason_floor is not None else p.execution_rate_min
    if funds.execution_rate < floor and not f.execution_shortfall_reason:
        out.append(Finding(
            "EXECUTION_REASON_MISSING", "high",
            f"预算执行率{fmt.percent(funds.execution_rate)}低于{fmt.percent(floor)}，但未说明原因。",
            "在自评中说明执行率偏低的原因及改进措施。",
        ))
    if funds.arrived > funds.budget_full_year:
        out.append(Finding(
            "ARRIVAL_EXCEEDS_BUDGET", "high",
            f"到位资金{fmt.wan(funds.arrived)}超过全年预算数{fmt.wan(funds.budget_full_year)}。",
            "核对资金到位记录与预算批复、调整文件，确保到位数不超过预算。",
        ))
    elif funds.arrival_rate < 1:
        out.append(Finding(
            "ARRIVAL_INCOMPLETE", "medium",
            f"资金到位率{fmt.percent(funds.arrival_rate)}，到位{fmt.wan(funds.arrived)}，全年预算{fmt.wan(funds.budget_full_year)}。",
            "与财政部门沟通资金拨付进度，确保项目资金及时足额到位。",
        ))
    if funds.arrival_delay_days is not None and funds.arrival_delay_days > p.arrival_delay_days_max:
        out.append(Finding(
            "ARRIVAL_LATE", "medium",
            f"预算于{f.approved_date.isoformat()}批复，资金至{funds.last_arrival.isoformat()}才全部到位，间隔{funds.arrival_delay_days}天。",
            "加强与财政部门的沟通衔接，推动资金按计划及时拨付到位。",
        ))
    if funds.arrived and funds.executed > funds.arrived:
        out.append(Finding(
            "SPENDING_EXCEEDS_ARRIVALS", "high",
            f"支付合计{fmt.wan(funds.executed)}超过到位资金{fmt.wan(funds.arrived)}，资金使用率{fmt.percent(funds.usage_rate)}。",
            "核对支付明细与到位记录，说明超出到位资金部分的资金来源。",
        ))
    if funds.executed and (funds.q4_share > p.q4_share_max or funds.december_share > p.december_share_max):
        out.append(Finding(
            "YEAR_END_SPENDING", "medium",
            f"支出集中在年末：第四季度支出占全年{fmt.percent(funds.q4_share)}，12月支出占{fmt.percent(funds.december_share)}，"
            f"而6月末累计执行率仅{fmt.percent(funds.monthly_cumulative_rate[5])}（序时进度50%）。",
            "按序时进度编制用款计划并均衡支出，避免年底突击花钱。",
        ))
    tol = Decimal(str(p.amount_tolerance_yuan))
    if f.reported_executed is not None and abs(f.reported_executed - funds.executed) > tol:
        out.append(Finding(
            "EXECUTED_MISMATCH", "high",
            f"填报的全年执行数{fmt.wan(f.reported_executed)}与支付明细合计{fmt.wan(funds.executed)}不一致。",
            "核对会计账簿与支付明细，按实际支付数填报全年执行数。",
        ))
    budgets = [i.budget for i in project_year.project.items]
    if all(b is not None for b in budgets):
        items_total = sum(budgets, Decimal(0))
        if abs(items_total - funds.budget_full_year) > tol:
            out.append(Finding(
                "ITEMS_BUDGET_MISMATCH", "medium",
                f"各支出内容预算合计{fmt.wan(items_total)}与全年预算数{fmt.wan(funds.budget_full_year)}不一致。",
                "按调整后的预算细化各支出内容的预算金额，确保明细与总额一致。",
            ))
    for item in funds.items:
        if item.budget is not None and item.executed > item.budget + tol:
            out.append(Finding(
                "ITEM_OVERSPENT", "medium",
                f"支出内容“{item.name}”支付{fmt.wan(item.executed)}，超过其预算{fmt.wan(item.budget)}。",
                "严格按预算明细支出，确需调剂的履行预算调剂程序。",
                item.name,
            ))
    return out


def indicator_findings(project_year: ProjectYear, scores: list[IndicatorScore], rules: RuleSet) -> list[Finding]:
    """Problems of the indicator table (rules.md §7.2, §7.4–§7.8)."""
    out: list[Finding] = []
    first_band = rules.qualitative_bands[0].name
    for indicator, s in zip(project_year.indicators, scores):
        label = f"{s.level2}“{s.name}”"
        if (s.kind == "qualitative" and s.band == first_band and indicator.assessment is None
                and not s.actual_copies_target and _NEGATION.search(s.actual)):
            out.append(Finding(
                "QUALITATIVE_UNCLEAR", "medium",
                f"{label}的完成情况“{s.actual}”含否定或延误的表述，未写明评价档次，按“{first_band}”计满分。",
                "定性指标写明评价档次（assessment：达成/部分达成/未达成）及得分，据实自评。", s.name,
            ))
        if any(is_placeholder(x) for x in (s.name, s.target, s.actual) if x.strip()):
            out.append(Finding(
                "PLACEHOLDER_TEXT", "high", f"{label}仍有占位文字（指标值“{s.target}”，完成值“{s.actual or '空'}”）。",
                "删除占位内容，按实际填写指标名称、指标值和完成值。", s.name,
            ))
        if s.kind == "unmeasured":
            out.append(Finding(
                "ACTUAL_BLANK", "high", f"{label}未填写实际完成值，按0分计。",
                "补填实际完成值及佐证材料。", s.name,
            ))
        elif s.actual_copies_target or s.actual_has_operator:
            out.append(Finding(
                "ACTUAL_COPIES_TARGET", "medium",
                f"{label}的实际完成值“{s.actual}”照抄年度指标值或带有比较符号，未反映实际完成情况。",
                "实际完成值应填写实际达到的具体数值或事实。", s.name,
            ))
        target = parse_value(s.target)
        if s.kind == "qualitative" and isinstance(target, Quantity):
            out.append(Finding(
                "ACTUAL_NOT_MEASURED", "medium",
                f"{label}为定量指标（{s.target}），实际完成值却为文字“{s.actual}”。",
                "按指标的计量单位填写实际完成数值。", s.name,
            ))
        if isinstance(target, Text) and (is_quantity_level2(s.level2) or is_cost_level2(s.level2)):
            out.append(Finding(
                "TARGET_NOT_QUANTIFIED", "low",
                f"{label}的年度指标值“{s.target}”为文字表述，未量化。",
                "数量、成本类指标应设置可计量的指标值。", s.name,
            ))
        if s.score < s.weight - 1e-9 and not s.deviation_reason:
            out.append(Finding(
                "DEDUCTION_WITHOUT_REASON", "medium",
                f"{label}得分{fmt.score(s.score)}（分值{fmt.score(s.weight)}），但未分析偏差原因。",
                "对未完成的指标逐项分析偏差原因并提出改进措施。", s.name,
            ))
        if s.over_target:
            out.append(Finding(
                "TARGET_TOO_LOW", "low",
                f"{label}实际完成{s.actual}，达到目标值{s.target}的{fmt.percent(s.actual_value / s.target_value)}，目标可能设定偏低。",
                "按偏离度适度调整下一年度指标值，使目标具有挑战性。", s.name,
            ))
        if is_cost_level2(s.level2) and s.kind == "quantitative" and s.direction != "reverse":
            out.append(Finding(
                "COST_WITHOUT_CEILING", "medium",
                f"成本指标“{s.name}”的指标值“{s.target}”未使用“≤”。",
                "成本指标应设为反向指标（≤），控制成本上限。", s.name,
            ))
        if (s.kind == "quantitative" and s.direction == "reverse" and is_quantity_level2(s.level2)
                and isinstance(target, Quantity) and is_count(target)):
            out.append(Finding(
                "CEILING_ON_COUNT", "medium",
                f"数量指标“{s.name}”的指标值“{s.target}”对数量使用了“≤”。",
                "数量指标应设为正向（≥）或等于（=）指标。", s.name,
            ))
        groups = rules.level2_groups.get(s.level1, ())
        if s.level2 not in groups and s.level2 + "指标" not in groups:
            out.append(Finding(
                "LEVEL2_UNKNOWN", "low",
                f"二级指标“{s.level2}”不属于{s.level1}的规定类别（{'、'.join(groups)}）。",
                "按规定的二级指标类别归集三级指标。", s.name,
            ))
    if len(scores) >= 3 and all(s.score >= s.weight - 1e-9 for s in scores):
        out.append(Finding(
            "ALL_FULL_MARKS", "low",
            f"全部{len(scores)}项绩效指标均为满分，指标设置可能缺乏挑战性。",
            "结合实际完成情况审慎自评，科学设置有挑战性的绩效目标。",
        ))
    if rules.level1_weights is not None:
        sums: dict[str, float] = {}
        for s in scores:
            sums[s.level1] = sums.get(s.level1, 0.0) + s.weight
        for level1, expected in rules.level1_weights.items():
            got = sums.get(level1, 0.0)
            if abs(got - expected) > rules.weight_tolerance:
                out.append(Finding(
                    "LEVEL1_WEIGHTS_DIFFER", "low",
                    f"{level1}分值合计{fmt.score(got)}，与{rules.title}规定的{fmt.score(expected)}不一致。",
                    f"按{rules.title}设置一级指标分值，确需调整的说明理由。", level1,
                ))
    out.extend(_satisfaction_findings(project_year, scores, rules))
    return out


def _satisfaction_findings(project_year: ProjectYear, scores: list[IndicatorScore], rules: RuleSet) -> list[Finding]:
    threshold = rules.problems.satisfaction_needs_basis_from
    survey = project_year.survey
    rates = [survey.rate] if survey else []
    rates += [s.actual_value / 100 for s in scores
              if s.level1 == "满意度指标" and s.kind == "quantitative" and s.actual_value is not None
              and parse_value(s.target).dimension == "percent"]
    if not rates or max(rates) < threshold:
        return []
    if survey is not None and survey.sample_size and survey.method:
        return []
    missing = "未开展问卷调查" if survey is None else "、".join(
        name for name, value in (("样本量", survey.sample_size), ("调查方式", survey.method)) if not value)
    return [Finding(
        "SATISFACTION_NO_BASIS", "medium",
        f"满意度达{fmt.percent(max(rates))}，但缺少调查依据（{missing}）。",
        "开展规范的满意度问卷调查，记录样本量、调查方式和调查时间，留存佐证材料。",
    )]


def claim_findings(
    project_year: ProjectYear, funds: FundMetrics, total: float, grade: str, rules: RuleSet
) -> list[Finding]:
    """What the unit claims (score, grade, rates, balance) against what the data give."""
    c = project_year.claims
    p = rules.problems
    out: list[Finding] = []
    if c.total_score is not None and abs(c.total_score - total) > p.claim_tolerance_score:
        out.append(Finding(
            "CLAIMED_SCORE_MISMATCH", "high",
            f"单位自评总分{fmt.score(c.total_score)}分，按评分规则计算为{fmt.score(total)}分。",
            "按评分规则逐项复核得分，据实自评。",
        ))
    if c.grade is not None and c.grade != grade:
        out.append(Finding(
            "CLAIMED_GRADE_MISMATCH", "high",
            f"单位自评等级为“{c.grade}”，按计算总分{fmt.score(total)}分应为“{grade}”。",
            "按总分对应的等级区间确定评价等级。",
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
            out.append(Finding(
                "CLAIMED_FIGURE_MISMATCH", "high",
                f"报告称{label}{fmt.percent(claimed)}，按数据计算为{fmt.percent(computed) if computed is not None else '无法计算（缺少数据）'}。",
                "报告中的数据应与预算、到位、支付及调查记录一致。", label,
            ))
    if c.balance is not None and abs(c.balance - funds.balance) > Decimal(str(p.amount_tolerance_yuan)):
        out.append(Finding(
            "CLAIMED_FIGURE_MISMATCH", "high",
            f"报告称结余{fmt.wan(c.balance)}，按数据计算为{fmt.wan(funds.balance)}。",
            "报告中的数据应与预算、到位、支付及调查记录一致。", "结余",
        ))
    return out


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first, then by code and subject: a stable, deterministic order."""
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.subject, f.message)))
