"""The one vocabulary of findings, shared by the evaluation and the review (docs/rules.md §7–§8).

Every finding code is a member of :class:`FindingCode`, defined here and nowhere else; its
severity and its suggested 建议 are one row of :data:`CODES`. The evaluation (``core/*_checks``)
and the review (``review/recompute``) both name their findings with these members, so a check
that applies to both (a cost without a ceiling, a copied actual …) gives the same code in both.
The mid-year monitoring (运行监控) judges other things (lights, projections) and names its findings
with its own :class:`~selfeval_lib.core.monitoring_model.MonitoringCode`, also defined once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable, Literal

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
SEVERITY_ZH: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}


class FindingCode(StrEnum):
    """Every finding code; the string value is what metrics.json and the review's JSON show."""

    # Payment approvals (evaluation).
    APPROVAL_SIGNATURE_MISSING = "APPROVAL_SIGNATURE_MISSING"
    APPROVAL_ESCALATION_MISSING = "APPROVAL_ESCALATION_MISSING"
    # Funds (evaluation; the execution codes also in the review).
    EXECUTION_OVER_BUDGET = "EXECUTION_OVER_BUDGET"
    EXECUTION_LOW = "EXECUTION_LOW"
    EXECUTION_REASON_MISSING = "EXECUTION_REASON_MISSING"
    EXECUTION_RATE_MISMATCH = "EXECUTION_RATE_MISMATCH"
    FUNDS_INCOMPLETE = "FUNDS_INCOMPLETE"
    ARRIVAL_EXCEEDS_BUDGET = "ARRIVAL_EXCEEDS_BUDGET"
    ARRIVAL_INCOMPLETE = "ARRIVAL_INCOMPLETE"
    ARRIVAL_LATE = "ARRIVAL_LATE"
    SPENDING_EXCEEDS_ARRIVALS = "SPENDING_EXCEEDS_ARRIVALS"
    YEAR_END_SPENDING = "YEAR_END_SPENDING"
    EXECUTED_MISMATCH = "EXECUTED_MISMATCH"
    ITEMS_BUDGET_MISMATCH = "ITEMS_BUDGET_MISMATCH"
    ITEM_OVERSPENT = "ITEM_OVERSPENT"
    # One indicator (evaluation and review).
    PLACEHOLDER_TEXT = "PLACEHOLDER_TEXT"
    TARGET_BLANK = "TARGET_BLANK"
    ACTUAL_BLANK = "ACTUAL_BLANK"
    ACTUAL_COPIES_TARGET = "ACTUAL_COPIES_TARGET"
    ACTUAL_NOT_MEASURED = "ACTUAL_NOT_MEASURED"
    TARGET_NOT_QUANTIFIED = "TARGET_NOT_QUANTIFIED"
    DEDUCTION_WITHOUT_REASON = "DEDUCTION_WITHOUT_REASON"
    TARGET_TOO_LOW = "TARGET_TOO_LOW"
    COST_WITHOUT_CEILING = "COST_WITHOUT_CEILING"
    CEILING_ON_COUNT = "CEILING_ON_COUNT"
    QUALITATIVE_UNCLEAR = "QUALITATIVE_UNCLEAR"
    QUALITATIVE_OUT_OF_BAND = "QUALITATIVE_OUT_OF_BAND"
    LEVEL2_UNKNOWN = "LEVEL2_UNKNOWN"
    SATISFACTION_NO_BASIS = "SATISFACTION_NO_BASIS"
    # The indicator table as a whole (evaluation and review).
    ALL_FULL_MARKS = "ALL_FULL_MARKS"
    LEVEL1_WEIGHTS_DIFFER = "LEVEL1_WEIGHTS_DIFFER"
    # What the unit claims (evaluation).
    CLAIMED_SCORE_MISMATCH = "CLAIMED_SCORE_MISMATCH"
    CLAIMED_GRADE_MISMATCH = "CLAIMED_GRADE_MISMATCH"
    CLAIMED_FIGURE_MISMATCH = "CLAIMED_FIGURE_MISMATCH"
    # Cells of a published table against the recomputation (review).
    UNREADABLE_VALUE = "UNREADABLE_VALUE"
    UNIT_MISMATCH = "UNIT_MISMATCH"
    WEIGHT_BLANK = "WEIGHT_BLANK"
    SCORE_BLANK = "SCORE_BLANK"
    SCORE_ABOVE_WEIGHT = "SCORE_ABOVE_WEIGHT"
    SCORE_MISMATCH = "SCORE_MISMATCH"
    ROUNDING = "ROUNDING"
    SHORTFALL_FULL_MARKS = "SHORTFALL_FULL_MARKS"
    WEIGHTS_SUM_MISMATCH = "WEIGHTS_SUM_MISMATCH"
    TOTAL_SUM_MISMATCH = "TOTAL_SUM_MISMATCH"
    TOTAL_MISMATCH = "TOTAL_MISMATCH"
    GRADE_BAND_MISMATCH = "GRADE_BAND_MISMATCH"
    GRADE_MISMATCH = "GRADE_MISMATCH"
    # One indicator (evaluation), added with issue 12.
    REVERSE_APPROX_OVER = "REVERSE_APPROX_OVER"
    # The whole published table (review), added with issue 13.
    FUNDS_TOTAL_BLANK = "FUNDS_TOTAL_BLANK"
    FUNDS_BREAKDOWN_MISMATCH = "FUNDS_BREAKDOWN_MISMATCH"
    CONVERTED_SCORE_MISMATCH = "CONVERTED_SCORE_MISMATCH"
    GOAL_ACTUAL_COPIES_EXPECTED = "GOAL_ACTUAL_COPIES_EXPECTED"
    TEMPLATE_PROMPT_LEFT = "TEMPLATE_PROMPT_LEFT"
    CONCLUSION_GRADE_MISMATCH = "CONCLUSION_GRADE_MISMATCH"
    PROBLEMS_NOT_STATED = "PROBLEMS_NOT_STATED"
    LEADER_BLANK = "LEADER_BLANK"
    TABLE_INCOMPLETE = "TABLE_INCOMPLETE"


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """A code's severity and its suggested 建议 ("" where only the review raises it)."""

    severity: Severity
    suggestion: str = ""


_C = FindingCode
#: One row per code: severity and suggestion.
CODES: dict[FindingCode, CodeSpec] = {
    _C.APPROVAL_SIGNATURE_MISSING: CodeSpec("high", "补齐支付凭证审批签字，严格执行“经办人、分管领导、主要领导”逐级审签制度。"),
    _C.APPROVAL_ESCALATION_MISSING: CodeSpec("high", "大额支付须按规定提交集体决策并报分管领导审批，补充会议纪要等审批依据。"),
    _C.EXECUTION_OVER_BUDGET: CodeSpec("high", "核实超预算支出的资金来源与审批手续，超出部分按规定办理预算调整。"),
    _C.EXECUTION_LOW: CodeSpec("medium", "加快预算执行进度，结余资金按规定收回或统筹使用，今后据实编制预算。"),
    _C.EXECUTION_REASON_MISSING: CodeSpec("high", "在自评中说明执行率偏低的原因及改进措施。"),
    _C.EXECUTION_RATE_MISMATCH: CodeSpec("high"),
    _C.FUNDS_INCOMPLETE: CodeSpec("medium"),
    _C.ARRIVAL_EXCEEDS_BUDGET: CodeSpec("high", "核对资金到位记录与预算批复、调整文件，确保到位数不超过预算。"),
    _C.ARRIVAL_INCOMPLETE: CodeSpec("medium", "与财政部门沟通资金拨付进度，确保项目资金及时足额到位。"),
    _C.ARRIVAL_LATE: CodeSpec("medium", "加强与财政部门的沟通衔接，推动资金按计划及时拨付到位。"),
    _C.SPENDING_EXCEEDS_ARRIVALS: CodeSpec("high", "核对支付明细与到位记录，说明超出到位资金部分的资金来源。"),
    _C.YEAR_END_SPENDING: CodeSpec("medium", "按序时进度编制用款计划并均衡支出，避免年底突击花钱。"),
    _C.EXECUTED_MISMATCH: CodeSpec("high", "核对会计账簿与支付明细，按实际支付数填报全年执行数。"),
    _C.ITEMS_BUDGET_MISMATCH: CodeSpec("medium", "按调整后的预算细化各支出内容的预算金额，确保明细与总额一致。"),
    _C.ITEM_OVERSPENT: CodeSpec("medium", "严格按预算明细支出，确需调剂的履行预算调剂程序。"),
    _C.PLACEHOLDER_TEXT: CodeSpec("high", "删除占位内容，按实际填写指标名称、指标值和完成值。"),
    _C.TARGET_BLANK: CodeSpec("high"),
    _C.ACTUAL_BLANK: CodeSpec("high", "补填实际完成值及佐证材料。"),
    _C.ACTUAL_COPIES_TARGET: CodeSpec("medium", "实际完成值应填写实际达到的具体数值或事实。"),
    _C.ACTUAL_NOT_MEASURED: CodeSpec("high", "按指标的计量单位填写实际完成数值。"),  # scored 0 (docs/rules.md §4)
    _C.TARGET_NOT_QUANTIFIED: CodeSpec("low", "数量、成本类指标应设置可计量的指标值。"),
    _C.DEDUCTION_WITHOUT_REASON: CodeSpec("medium", "对未完成的指标逐项分析偏差原因并提出改进措施。"),
    _C.TARGET_TOO_LOW: CodeSpec("low", "按偏离度适度调整下一年度指标值，使目标具有挑战性。"),
    _C.COST_WITHOUT_CEILING: CodeSpec("medium", "成本指标应设为反向指标（≤），控制成本上限。"),
    _C.CEILING_ON_COUNT: CodeSpec("medium", "数量指标应设为正向（≥）或等于（=）指标。"),
    _C.QUALITATIVE_UNCLEAR: CodeSpec("medium", "定性指标写明评价档次（达成、部分达成或未达成）及得分，据实自评。"),
    _C.QUALITATIVE_OUT_OF_BAND: CodeSpec("high"),
    _C.LEVEL2_UNKNOWN: CodeSpec("low", "按规定的二级指标类别归集三级指标。"),
    _C.SATISFACTION_NO_BASIS: CodeSpec("medium", "开展规范的满意度问卷调查，记录样本量、调查方式和调查时间，留存佐证材料。"),
    _C.ALL_FULL_MARKS: CodeSpec("low", "结合实际完成情况审慎自评，科学设置有挑战性的绩效目标。"),
    _C.LEVEL1_WEIGHTS_DIFFER: CodeSpec("low"),  # the suggestion names the rule set: built where raised
    _C.CLAIMED_SCORE_MISMATCH: CodeSpec("high", "按评分规则逐项复核得分，据实自评。"),
    _C.CLAIMED_GRADE_MISMATCH: CodeSpec("high", "按总分对应的等级区间确定评价等级。"),
    _C.CLAIMED_FIGURE_MISMATCH: CodeSpec("high", "报告中的数据应与预算、到位、支付及调查记录一致。"),
    _C.UNREADABLE_VALUE: CodeSpec("high"),
    _C.UNIT_MISMATCH: CodeSpec("high"),
    _C.WEIGHT_BLANK: CodeSpec("high"),
    _C.SCORE_BLANK: CodeSpec("medium"),
    _C.SCORE_ABOVE_WEIGHT: CodeSpec("high"),
    _C.SCORE_MISMATCH: CodeSpec("high"),
    _C.ROUNDING: CodeSpec("low"),
    _C.SHORTFALL_FULL_MARKS: CodeSpec("high"),
    _C.WEIGHTS_SUM_MISMATCH: CodeSpec("high"),
    _C.TOTAL_SUM_MISMATCH: CodeSpec("high"),
    _C.TOTAL_MISMATCH: CodeSpec("high"),
    _C.GRADE_BAND_MISMATCH: CodeSpec("high"),
    _C.GRADE_MISMATCH: CodeSpec("high"),
    _C.REVERSE_APPROX_OVER: CodeSpec("medium", "成本等反向指标按实际发生数填报完成值，不以“余”“多”“以上”等概数表述。"),
    _C.FUNDS_TOTAL_BLANK: CodeSpec("medium", "资金表“年度资金总额”行应填写各资金来源的合计数。"),
    _C.FUNDS_BREAKDOWN_MISMATCH: CodeSpec("medium", "核对资金表“其中”各行与总额，确保各资金来源合计等于总额。"),
    _C.CONVERTED_SCORE_MISMATCH: CodeSpec("high", "折算得分应等于单项得分×权重占比，逐项核对后重新汇总。"),
    _C.GOAL_ACTUAL_COPIES_EXPECTED: CodeSpec("medium", "年度总体目标的实际完成情况应写明实际完成的内容和数据，不照抄预期目标。"),
    _C.TEMPLATE_PROMPT_LEFT: CodeSpec("medium", "删除模板中的填写提示和示例文字，按项目实际填写。"),
    _C.CONCLUSION_GRADE_MISMATCH: CodeSpec("high", "评价结论应与按规则复核的总分和等级一致。"),
    _C.PROBLEMS_NOT_STATED: CodeSpec("medium", "如实列明自评发现的问题（扣分、缺少依据等），并提出针对性的改进措施。"),
    _C.LEADER_BLANK: CodeSpec("low", "填写项目负责人，明确自评结果的责任人。"),
    _C.TABLE_INCOMPLETE: CodeSpec("medium", "核对原件：表格在指标行后结束、没有总分行，可能缺少续表或页面；补齐完整的自评表后再复核。"),
}


def severity_of(code: FindingCode) -> Severity:
    """The severity of a code (:data:`CODES`)."""
    return CODES[code].severity


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by the evaluation; ``subject`` names what it is about (a voucher, an
    indicator …)."""

    code: FindingCode
    severity: Severity
    message: str
    suggestion: str
    subject: str = ""


def finding(code: FindingCode, message: str, subject: str = "", suggestion: str | None = None) -> Finding:
    """A :class:`Finding` with the code's severity and, unless given, its suggestion."""
    spec = CODES[code]
    return Finding(code, spec.severity, message, spec.suggestion if suggestion is None else suggestion, subject)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first, then by code and subject: a stable, deterministic order."""
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.subject, f.message)))
