"""The report's Chinese prose, from an :class:`~selfeval_lib.core.evaluation.Evaluation`.

The report is the unit's own 自评报告: it speaks in the first person (:func:`self_name`, e.g.
"我局"), states the computed figures as the unit's findings and its problems in the unit's
words (:mod:`selfeval_lib.report.problems`). A narrative fact that is missing is shown as a
marked placeholder (【待补充：…】, class ``placeholder``), exactly the facts of
:func:`~selfeval_lib.report.missing_facts.missing_facts`; data the
params file declares illustrative get a notice on the first page and a note under each table
they feed (keys ``note_<table>``). Checks of the unit's claims against the data go to the
自查清单 (:mod:`selfeval_lib.report.checklist`), never here.

This module holds what the prose is written from (:func:`section_args`, one entry per part);
the HTML is written by :func:`selfeval_lib.render.narrative.render_narrative` from the Jinja2
template ``templates/narrative/report.html.j2`` (autoescaped, so user text is always shown as
text), its phrases those of :mod:`selfeval_lib.report.phrases`; every figure in it is computed by
the library. The parts follow the outline of docs/rules.md §9; :data:`OUTLINE` lists them in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.model import Project
from selfeval_lib.core.rules import LEVEL1_NAMES
from selfeval_lib.core.scoring import IndicatorScore
from selfeval_lib.report.missing_facts import MissingFacts, level2_groups, missing_facts
from selfeval_lib.report.problems import ReportProblem, report_problems

#: The five parts and their sub-sections: (key, heading or macro name).
PARTS = {
    "一": "一、项目概况",
    "二": "二、项目资金申报及使用情况",
    "三": "三、项目实施及管理情况",
    "四": "四、项目绩效情况",
    "五": "五、评价结论及建议",
}
OUTLINE = (
    ("一", ("basic", "goals", "method")),
    ("二", ("declaration", "plan_arrival_use", "finance")),
    ("三", ("organisation", "management", "supervision")),
    ("四", ("completion", "benefits")),
    ("五", ("conclusion", "problems", "suggestions")),
)


#: Illustrative parts of a params file (``illustrative:``) as the notice names them.
ILLUSTRATIVE_LABELS: dict[str, str] = {
    "project.items": "各支出内容的预算金额",
    "funds.approved_date": "预算批复日期",
    "funds.adjustments": "预算调整",
    "funds.arrivals": "资金到位日期",
    "funds.payments": "支付明细（拆分、日期、凭证号、收款方及审批签字）",
    "indicators": "绩效指标的指标值与完成值",
    "survey": "满意度调查",
}
#: Table (or chart) of the outline → the illustrative parts it shows.
TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    "funds": ("funds.approved_date", "funds.adjustments", "funds.arrivals", "funds.payments"),
    "monthly": ("funds.payments",),
    "items": ("project.items", "funds.payments"),
    "indicators": ("indicators",),
}
_SELF_NAMES = (("委员会", "我委"), ("办公室", "我办"), ("局", "我局"), ("委", "我委"), ("办", "我办"),
               ("中心", "我中心"), ("院", "我院"), ("学校", "我校"), ("所", "我所"), ("站", "我站"))


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    total: int
    full: int
    shortfalls: tuple[IndicatorScore, ...]
    benefits: tuple[IndicatorScore, ...]
    indicator_score: float
    indicator_weight: float


@dataclass(frozen=True, slots=True)
class ApprovalSummary:
    total: int
    missing: int
    roles: tuple[str, ...] = ()  # the approvals the non-compliant vouchers lack, in rule order


def self_name(ev: Evaluation) -> str:
    """How the report names the unit: ``project.self_name``, else from the unit's name
    (…局 → 我局, …委 → 我委 …), else 本单位."""
    return project_self_name(ev.project_year.project)


def project_self_name(p: Project) -> str:
    """:func:`self_name` of a project (the monitoring report's too)."""
    if p.self_name:
        return p.self_name
    return next((name for suffix, name in _SELF_NAMES if p.unit.endswith(suffix)), "本单位")


def indicator_summary(ev: Evaluation) -> IndicatorSummary:
    """Counts and shortfalls of the indicators (a shortfall is any score below its weight)."""
    shortfalls = tuple(s for s in ev.indicators if vocab.below_full_marks(s.score, s.weight))
    return IndicatorSummary(
        total=len(ev.indicators),
        full=len(ev.indicators) - len(shortfalls),
        shortfalls=shortfalls,
        benefits=tuple(s for s in ev.indicators if s.level1 == "效益指标"),
        indicator_score=sum(s.score for s in ev.indicators),
        indicator_weight=sum(s.weight for s in ev.indicators),
    )


def level1_counts(ev: Evaluation) -> dict[str, int]:
    """Number of indicators under each 一级指标, in the rule vocabulary's order."""
    counts = dict.fromkeys(LEVEL1_NAMES, 0)
    for s in ev.indicators:
        counts[s.level1] += 1
    return counts


def advice(ev: Evaluation) -> list[str]:
    """The 相关建议: the measure of each problem of 存在的问题, each once, in its order."""
    return list(dict.fromkeys(p.measure for p in report_problems(ev)))


def illustrative_labels(ev: Evaluation, parts: tuple[str, ...] | None = None) -> list[str]:
    """Labels of the illustrative parts declared by the params file (only ``parts`` if given)."""
    declared = ev.project_year.illustrative
    return [ILLUSTRATIVE_LABELS[k] for k in ILLUSTRATIVE_LABELS if k in declared and (parts is None or k in parts)]


def plan_followed(ev: Evaluation) -> bool:
    """Whether the payments kept to the 用款计划 month by month (元; False without a plan)."""
    plan = {p.month: p.amount for p in ev.project_year.funds.plan}
    return bool(plan) and all(ev.funds.monthly_executed[m - 1] == plan.get(m, 0) for m in range(1, 13))


def achievement(ev: Evaluation) -> str:
    """How far the year's targets were reached, as 评价结论 says it: 全面实现 when every indicator
    met its target, else by grade: 基本实现 (优, 良), 部分实现 (中), 未能实现 (差)."""
    if not indicator_summary(ev).shortfalls:
        return "全面实现"
    return {"优": "基本实现", "良": "基本实现", "中": "部分实现"}.get(ev.grade, "未能实现")


def _monitoring_args(ev: Evaluation) -> tuple:
    """(months, warnings) of the mid-year monitoring for 三（三）, or () without monitoring data
    (the section then reads as it always has)."""
    from selfeval_lib.report.corrections import mid_year_months, mid_year_warnings

    months = mid_year_months(ev)
    return (months, mid_year_warnings(ev)) if months else ()


def section_args(ev: Evaluation) -> dict[str, tuple]:
    """What each part of the outline is written from: the macro's name ("title", "basic" …
    "suggestions") → its arguments (a section not named here takes the evaluation alone). The
    HTML is :func:`selfeval_lib.render.narrative.render_narrative`'s."""
    summary = indicator_summary(ev)
    approvals = ApprovalSummary(total=len(ev.vouchers), missing=sum(not v.compliant for v in ev.vouchers),
                                roles=tuple(dict.fromkeys(r for v in ev.vouchers for r in v.missing)))
    problems: list[ReportProblem] = report_problems(ev)
    me = self_name(ev)
    missing: MissingFacts = missing_facts(ev)
    return {
        "title": (ev, illustrative_labels(ev)),
        "basic": (ev, me),
        "goals": (ev, me, level1_counts(ev)),
        "method": (ev, me),
        "plan_arrival_use": (ev, missing, plan_followed(ev)),
        "management": (ev, me, missing, approvals),
        "supervision": (ev, me, missing, *_monitoring_args(ev)),
        "completion": (ev, missing, summary, level2_groups(ev, "产出指标")),
        "finance": (ev, me, missing),
        "organisation": (ev, me, missing),
        "benefits": (ev, me, missing, level2_groups(ev, "效益指标"), level2_groups(ev, "满意度指标")),
        "conclusion": (ev, me, summary, approvals, {p.group for p in problems}, achievement(ev)),
        "problems": (ev, problems),
        "suggestions": (ev, advice(ev)),
    }

