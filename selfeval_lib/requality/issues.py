"""The findings of the evaluation (or of a table's review) as the 复核意见 reports them (pure):
payment approvals, year-end spending, execution, funds, claims that contradict the figures — each
with its topic, what it is judged by and the points it costs the 复核总分.

Findings about one indicator (``subject`` = its name) are not issues here: the 复核意见 reports
them with that indicator (:func:`indicator_findings`), beside the 口径's deductions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.findings import SEVERITY_ORDER, Finding, FindingCode
from selfeval_lib.requality.model import IndicatorRequality, Issue
from selfeval_lib.requality.subject import Subject

C = FindingCode
#: What a 复核 judges a finding by, when it is not an indicator's: the 口径's rule 11 for what the
#: unit states against the figures, the scoring rules' 预算执行率 line, or the financial rules
#: (not part of the 自评表's score: reported, not deducted).
BASIS_CLAIMS = "口径第11条（报告、表格与计算一致）"
BASIS_EXECUTION = "评分规则“预算执行率”"
BASIS_FINANCE = "财务管理规定"
#: Each finding code's topic (复核发现 are grouped and ordered by it) and basis.
TOPICS: dict[FindingCode, tuple[str, str]] = {
    **{c: ("资金支付审批", BASIS_FINANCE) for c in (C.APPROVAL_SIGNATURE_MISSING, C.APPROVAL_ESCALATION_MISSING)},
    C.YEAR_END_SPENDING: ("支出进度", BASIS_FINANCE),
    **{c: ("预算执行", BASIS_EXECUTION) for c in (C.EXECUTION_LOW, C.EXECUTION_REASON_MISSING, C.EXECUTION_OVER_BUDGET)},
    **{c: ("资金到位", BASIS_FINANCE) for c in (C.ARRIVAL_LATE, C.ARRIVAL_INCOMPLETE, C.ARRIVAL_EXCEEDS_BUDGET)},
    **{c: ("资金使用", BASIS_FINANCE) for c in (C.SPENDING_EXCEEDS_ARRIVALS, C.ITEM_OVERSPENT, C.ITEMS_BUDGET_MISMATCH,
                                              C.FUNDS_INCOMPLETE, C.FUNDS_TOTAL_BLANK, C.FUNDS_BREAKDOWN_MISMATCH)},
    **{c: ("自评与计算不符", BASIS_CLAIMS) for c in (
        C.CLAIMED_SCORE_MISMATCH, C.CLAIMED_GRADE_MISMATCH, C.CLAIMED_FIGURE_MISMATCH, C.EXECUTED_MISMATCH,
        C.EXECUTION_RATE_MISMATCH, C.TOTAL_MISMATCH, C.TOTAL_SUM_MISMATCH, C.GRADE_MISMATCH, C.GRADE_BAND_MISMATCH,
        C.CONVERTED_SCORE_MISMATCH, C.CONCLUSION_GRADE_MISMATCH, C.WEIGHTS_SUM_MISMATCH)},
}
#: The topics in the order the 复核意见 reports them: money first, then what the unit stated.
TOPIC_ORDER = ("资金支付审批", "支出进度", "预算执行", "资金到位", "资金使用", "自评与计算不符", "自评表填报")
#: Findings of the whole table that are not about money or claims.
OTHER = ("自评表填报", "口径第11、12条（报告与表格一致、逻辑成立）")
#: An indicator's finding that says what a 口径 check already says (the 口径's wording, which cites
#: its entry, is kept).
SAME_AS_CHECK: dict[FindingCode, str] = {
    C.TARGET_TOO_LOW: "over_target", C.DEDUCTION_WITHOUT_REASON: "shortfall_without_reason",
    C.SATISFACTION_NO_BASIS: "satisfaction_without_survey", C.COST_WITHOUT_CEILING: "cost_as_floor",
}
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_ZERO_DECIMALS = re.compile(r"(?<![\d.])(\d[\d,]*)\.00(?!\d)")


def as_written(message: str) -> str:
    """A finding's message as a document writes it: ISO dates as 2023年1月16日, whole numbers
    without ".00" (100.00% → 100%, 总分填99.00 → 99), a division in words (执行数÷预算数 →
    执行数除以预算数); a voucher number such as 记-2023-04-004 is left alone."""
    text = _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", message)
    return _ZERO_DECIMALS.sub(r"\1", text).replace("÷", "除以").replace("×", "乘以")


def _execution_deduction(subject: Subject) -> float:
    """Points the 预算执行率 line loses against the unit's own score (its weight when the unit
    stated none)."""
    rec = subject.execution_recomputed if subject.execution_recomputed is not None else subject.execution_score
    if rec is None:
        return 0.0
    own = subject.self_execution if subject.self_execution is not None else subject.execution_weight
    return max(0.0, (own or 0.0) - rec)


def issues_of(subject: Subject, indicators: Sequence[IndicatorRequality]) -> tuple[Issue, ...]:
    """The findings that are not about one indicator, as issues: topic, basis, deduction,
    requirement; money first, the most severe first within a topic. The execution deduction is
    carried once (by the first execution finding); a claimed total that differs from the
    recomputation carries the difference (the table reconciles it line by line)."""
    names = {i.name for i in indicators}
    checks = {h.check for i in indicators for h in i.hits}
    out: list[Issue] = []
    execution_left = _execution_deduction(subject)
    for f in sorted(subject.notes, key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.subject, f.message)):
        if (f.subject and f.subject in names) or SAME_AS_CHECK.get(f.code) in checks:
            continue
        topic, basis = TOPICS.get(f.code, OTHER)
        deduction = 0.0
        if basis == BASIS_EXECUTION and execution_left > vocab.SHOWN_GAP:
            deduction, execution_left = execution_left, 0.0
        elif f.code in (C.CLAIMED_SCORE_MISMATCH, C.TOTAL_MISMATCH) and subject.self_total is not None \
                and subject.recomputed_total is not None:
            deduction = max(0.0, subject.self_total - subject.recomputed_total)
        out.append(Issue(topic, as_written(f.message), basis, deduction, f.suggestion, f.severity, str(f.code)))
    order = {t: n for n, t in enumerate(TOPIC_ORDER)}
    return tuple(sorted(out, key=lambda i: order.get(i.topic, len(order))))


def indicator_findings(notes: Sequence[Finding], name: str, checks: frozenset[str] = frozenset()
                       ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The messages and the suggestions of the findings about the indicator ``name``; those a 口径
    check that applied (``checks``) already states are left out of the messages."""
    mine = [f for f in notes if f.subject == name]
    said = [f for f in mine if SAME_AS_CHECK.get(f.code) not in checks]
    return tuple(as_written(f.message) for f in said), tuple(dict.fromkeys(f.suggestion for f in mine if f.suggestion))


__all__ = ["as_written", "BASIS_CLAIMS", "BASIS_EXECUTION", "BASIS_FINANCE", "TOPICS", "TOPIC_ORDER", "indicator_findings", "issues_of"]
