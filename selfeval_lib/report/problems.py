"""存在的问题 and 相关建议 as the unit writes them about itself, from the evaluation's findings.

The findings' own messages are worded for a reviewer ("报告称…", "未说明原因"); the report
speaks as the unit, so each finding code that belongs in the report has a unit-voice wording
here, and findings of one cause are merged into one problem (:data:`GROUPS`: a low execution
rate and its missing reason are one problem, the vouchers missing a signature are one problem).
Codes not in :data:`REPORT_CODES` (what the unit claims against the data, missing facts, data to
correct) go to the preparer's 自查清单 (:mod:`selfeval_lib.report.checklist`), never into the
report. Every figure comes from the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.findings import SEVERITY_ORDER, Finding, FindingCode

C = FindingCode


def _pct(fraction: float) -> str:
    """A rate in prose, without trailing zeros ("100%", "45.33%")."""
    return fmt.percent(fraction, trim=True)


@dataclass(frozen=True, slots=True)
class ReportProblem:
    """One problem of 存在的问题 with its 改进措施; ``codes`` are the findings it states."""

    group: str
    text: str
    measure: str
    codes: tuple[FindingCode, ...]


#: Problem group → the finding codes it states (one cause, one problem), in display order.
GROUPS: dict[str, tuple[FindingCode, ...]] = {
    "approvals": (C.APPROVAL_SIGNATURE_MISSING, C.APPROVAL_ESCALATION_MISSING),
    "execution": (C.EXECUTION_OVER_BUDGET, C.EXECUTION_LOW),
    "timing": (C.YEAR_END_SPENDING,),
    "arrival": (C.ARRIVAL_INCOMPLETE, C.ARRIVAL_LATE, C.SPENDING_EXCEEDS_ARRIVALS),
    "items": (C.ITEM_OVERSPENT,),
    "targets": (C.TARGET_TOO_LOW, C.ALL_FULL_MARKS, C.COST_WITHOUT_CEILING, C.CEILING_ON_COUNT,
                C.TARGET_NOT_QUANTIFIED, C.LEVEL2_UNKNOWN, C.LEVEL1_WEIGHTS_DIFFER),
}
#: Codes stated in the report's 存在的问题; every other code goes to the 自查清单 only. A fact the
#: params lack (the survey's method and sample, SATISFACTION_NO_BASIS) is not a problem of the
#: project: the report asks for it once, as 【待补充：…】, and the 自查清单 lists it.
REPORT_CODES: frozenset[FindingCode] = frozenset(c for codes in GROUPS.values() for c in codes)
_GROUP_OF = {c: g for g, codes in GROUPS.items() for c in codes}


def _names(names: list[str], limit: int = 4) -> str:
    shown = "、".join(f"“{n}”" for n in names[:limit])
    return shown + ("等" if len(names) > limit else "")


def _approvals(ev: Evaluation, found: list[Finding]) -> tuple[str, str]:
    bad = [v for v in ev.vouchers if not v.compliant]
    roles = "、".join(dict.fromkeys(r for v in bad for r in v.missing))
    text = f"支付审批制度执行不够严格，全年有{len(bad)}笔支付未按规定履行{roles}审批程序。"
    measure = f"严格执行资金支付审批制度，每笔支付在付款前按规定完成逐级审签，达到标准的支付事前履行{roles}审批程序。"
    return text, measure


def _execution(ev: Evaluation, found: list[Finding]) -> tuple[str, str]:
    f = ev.funds
    if any(x.code == C.EXECUTION_OVER_BUDGET for x in found):
        return (f"全年支出{fmt.wan(f.executed)}，超过全年预算数{fmt.wan(f.budget_full_year)}，"
                f"预算执行率为{_pct(f.execution_rate)}。",
                "严格按预算安排支出，确需增加支出的按规定办理预算调整。")
    floor = _pct(ev.rules.problems.execution_rate_min)
    reason = ev.project_year.funds.execution_shortfall_reason.strip().rstrip("。；，")
    cause = f"，主要原因是{reason}" if reason else ""
    return (f"预算执行率为{_pct(f.execution_rate)}，未达到{floor}，年末结余{fmt.wan(f.balance)}{cause}。",
            "编制下一年度预算时据实测算支出需求，按用款计划及时组织实施和支付，结余资金按规定交回财政。")


def _timing(ev: Evaluation, found: list[Finding]) -> tuple[str, str]:
    f = ev.funds
    basis = _december_basis(ev)
    if basis:
        return (f"支出集中在年末，第四季度支出占全年支出的{_pct(f.q4_share)}，其中12月占{_pct(f.december_share)}，"
                f"原因是{basis}。",
                "与服务单位协商按季度或按月结算费用，使支出进度与序时进度相匹配。")
    half = f.monthly_cumulative_rate[5]
    first_half = ("上半年未发生支出" if half == 0 else
                  f"6月末累计执行率为{_pct(half)}，低于{_pct(f.time_progress[5])}的序时进度")
    return (f"支出进度不够均衡，{first_half}，第四季度支出占全年支出的{_pct(f.q4_share)}，"
            f"其中12月占{_pct(f.december_share)}。",
            "年初按序时进度编制用款计划，合理安排支付时间，均衡支出。")


def _december_basis(ev: Evaluation) -> str:
    """Why the unit pays in December, in its own words: the 用款计划's basis for the month (e.g. an
    annual fee settled under contract), "" when the params give none."""
    plan = getattr(ev.project_year.funds, "plan", None) or ()
    bases = [p.basis.strip().rstrip("。；，") for p in plan if p.month == 12 and getattr(p, "basis", "")]
    return "；".join(dict.fromkeys(bases))


def _arrival(ev: Evaluation, found: list[Finding]) -> tuple[str, str]:
    f = ev.funds
    approved = ev.project_year.funds.approved_date
    parts: list[str] = []
    codes = {x.code for x in found}
    if C.ARRIVAL_INCOMPLETE in codes:
        parts.append(f"资金未全部到位，全年到位{fmt.wan(f.arrived)}，到位率为{_pct(f.arrival_rate)}")
    if C.ARRIVAL_LATE in codes and approved is not None and f.last_arrival is not None:
        batches = len(ev.project_year.funds.arrivals)  # what the data show, no consequence guessed
        how = f"资金分{batches}批到位，最后一笔" if batches > 1 else "资金到位较晚，"
        parts.append(f"{how}于{fmt.chinese_date(f.last_arrival)}到位，距{fmt.chinese_date(approved)}预算批复"
                     f"{f.arrival_delay_days}天")
    if C.SPENDING_EXCEEDS_ARRIVALS in codes:
        parts.append(f"支出{fmt.wan(f.executed)}超过到位资金{fmt.wan(f.arrived)}")
    return "；".join(parts) + "。", "年初向财政部门报送用款计划，按资金到位情况提前做好项目实施准备，资金到位后及时支付。"


def _items(ev: Evaluation, found: list[Finding]) -> tuple[str, str]:
    over = [i for i in ev.funds.items if i.budget is not None and i.executed > i.budget]
    detail = "；".join(f"“{i.name}”支出{fmt.wan(i.executed)}，超过预算{fmt.wan(i.budget)}" for i in over)
    return f"部分支出内容超预算支出：{detail}。", "严格按预算明细支出，确需调剂的履行预算调剂程序。"


def _targets(ev: Evaluation, found: list[Finding]) -> tuple[str, str]:
    by_name = {s.name: s for s in ev.indicators}
    codes = {x.code for x in found}
    subjects = {c: [x.subject for x in found if x.code == c] for c in codes}
    clauses: list[str] = []
    measures: list[str] = []
    if C.TARGET_TOO_LOW in codes:
        low = [by_name[n] for n in subjects[C.TARGET_TOO_LOW] if n in by_name]
        detail = "；".join(f"“{s.name}”实际完成{s.actual}，为年度指标值的{_pct(s.actual_value / s.target_value)}"
                          for s in low if s.actual_value is not None and s.target_value)
        clauses.append(f"部分指标值设定偏低（{detail}）" if detail else "部分指标值设定偏低")
    if C.ALL_FULL_MARKS in codes:
        clauses.append(f"{len(ev.indicators)}项绩效指标全部满分完成，指标值设定偏保守")
    if C.TARGET_TOO_LOW in codes or C.ALL_FULL_MARKS in codes:
        measures.append("结合历史完成情况合理确定下一年度指标值，使绩效目标具有挑战性")
    if C.COST_WITHOUT_CEILING in codes:
        clauses.append(f"成本指标{_names(subjects[C.COST_WITHOUT_CEILING])}未设置上限")
        measures.append("成本指标按上限值设置")
    if C.CEILING_ON_COUNT in codes:
        clauses.append(f"数量指标{_names(subjects[C.CEILING_ON_COUNT])}设置为上限值")
        measures.append("数量指标按下限值或定额设置")
    if C.TARGET_NOT_QUANTIFIED in codes:
        clauses.append(f"{_names(subjects[C.TARGET_NOT_QUANTIFIED])}的指标值未量化")
        measures.append("数量、成本类指标设置可计量的指标值")
    if C.LEVEL2_UNKNOWN in codes:
        clauses.append(f"{_names(subjects[C.LEVEL2_UNKNOWN])}的二级指标归类不规范")
        measures.append("按规定的二级指标类别归集三级指标")
    if C.LEVEL1_WEIGHTS_DIFFER in codes:
        clauses.append("一级指标分值设置与规定不一致")
        measures.append("按规定设置一级指标分值")
    return "部分绩效目标设置有待完善，" + "；".join(clauses) + "。", "；".join(measures) + "。"


_WORDING: dict[str, Callable[[Evaluation, list[Finding]], tuple[str, str]]] = {
    "approvals": _approvals, "execution": _execution, "timing": _timing, "arrival": _arrival,
    "items": _items, "targets": _targets,
}


def shortfall_problem(ev: Evaluation) -> ReportProblem | None:
    """The indicators below full marks, as one problem with the unit's stated causes (an
    indicator without an actual is asked for in 四, not judged here)."""
    short = [s for s in ev.indicators if vocab.below_full_marks(s.score, s.weight) and s.actual.strip()]
    if not short:
        return None
    causes = [f"“{s.name}”{s.deviation_reason.strip().rstrip('。；，')}" for s in short if s.deviation_reason.strip()]
    return ReportProblem(
        "shortfall",
        f"部分绩效指标未完成年度目标，{_names([s.name for s in short])}未达到年度指标值"
        + (f"。主要原因：{'；'.join(causes)}。" if causes else "。"),
        "对未完成的指标逐项落实改进措施，下一年度实施中按季度跟踪完成进度。",
        (),
    )


def report_problems(ev: Evaluation) -> list[ReportProblem]:
    """存在的问题 of the report, one per cause, most severe first (then in :data:`GROUPS` order);
    the indicator shortfalls follow the medium-severity problems."""
    found: dict[str, list[Finding]] = {}
    for x in ev.findings:
        if x.code in _GROUP_OF:
            found.setdefault(_GROUP_OF[x.code], []).append(x)
    order = list(GROUPS)
    ranked: list[tuple[int, int, ReportProblem]] = []
    for group, items in found.items():
        text, measure = _WORDING[group](ev, items)
        severity = min(SEVERITY_ORDER[x.severity] for x in items)
        codes = tuple(dict.fromkeys(x.code for x in items))
        ranked.append((severity, order.index(group), ReportProblem(group, text, measure, codes)))
    short = shortfall_problem(ev)
    if short is not None:
        ranked.append((SEVERITY_ORDER["medium"], len(order), short))
    return [p for _, _, p in sorted(ranked, key=lambda t: (t[0], t[1]))]


def checklist_findings(ev: Evaluation) -> list[Finding]:
    """The findings the report does not state (they go to the 自查清单)."""
    return [x for x in ev.findings if x.code not in REPORT_CODES]
