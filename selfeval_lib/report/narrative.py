"""The report's Chinese prose, from an :class:`~selfeval_lib.core.evaluation.Evaluation`.

The report is the unit's own 自评报告: it speaks in the first person (:func:`self_name`, e.g.
"我局"), states the computed figures as the unit's findings and its problems in the unit's
words (:mod:`selfeval_lib.report.problems`). A narrative fact that is missing is shown as a
marked placeholder (【待补充：…】, class ``placeholder``), exactly the facts of
:func:`~selfeval_lib.report.missing_facts.missing_facts`; data the
params file declares illustrative get a notice on the first page and a note under each table
they feed (keys ``note_<table>``). Checks of the unit's claims against the data go to the
自查清单 (:mod:`selfeval_lib.report.checklist`), never here.

Text comes from the Jinja2 template ``templates/narrative/report.html.j2`` (autoescaped, so
user text is always shown as text); every figure in it is computed by the library. The parts
follow the outline of docs/rules.md §9; :data:`OUTLINE` lists them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.model import Project
from selfeval_lib.core.monitoring import LIGHT_ZH
from selfeval_lib.core.rules import LEVEL1_NAMES
from selfeval_lib.core.scoring import IndicatorScore
from selfeval_lib.report.missing_facts import MissingFacts, level2_groups, missing_facts
from selfeval_lib.report.problems import ReportProblem, report_problems
from selfeval_lib.resources import template_dir

TEMPLATE_DIR = template_dir("narrative")

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
_COMPARATORS = "≥≤≧≦=＝<>＜＞"
_TRAILING = "。；，、;,. \n"


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


def chinese_date(value: object) -> str:
    """2023-03-15 → "2023年3月15日" (see :func:`selfeval_lib.core.formatting.chinese_date`)."""
    return fmt.chinese_date(value)  # type: ignore[arg-type]


def _clause(text: str) -> str:
    """User text without its closing punctuation, for the template to close the sentence."""
    return text.strip().rstrip(_TRAILING)


#: A target's comparison as prose says it, for a rate (%) and for anything else (a count, money).
_COMPARISON_WORDS = {"≥": ("不低于", "不少于"), "≧": ("不低于", "不少于"), "≤": ("不高于", "不超过"),
                     "≦": ("不高于", "不超过"), ">": ("高于", "多于"), "＞": ("高于", "多于"),
                     "<": ("低于", "少于"), "＜": ("低于", "少于"), "=": ("", ""), "＝": ("", "")}
_DATE = re.compile(r"^(\d{4})年(\d{1,2}月(?:\d{1,2}日|[上中下]旬|底)?)$")
_MONEY = re.compile(r"[万千百]?元$")


def _target_phrase(s: IndicatorScore) -> str:
    """The target as a finance officer writes it: "年度指标值为不少于600人次", "年度指标值为5项",
    "年度指标值为“有效提升”" (no raw ≥ ≤ = in prose)."""
    target = _clause(s.target)
    op = target[:1]
    if op in _COMPARISON_WORDS:
        rest = target[1:].lstrip("=＝").strip()
        rate, other = _COMPARISON_WORDS[op]
        return f"年度指标值为{rate if rest.endswith('%') else other}{rest}"
    if s.kind == "qualitative":
        return f"年度指标值为“{target}”"
    return f"年度指标值为{target}"


def _actual_phrase(s: IndicatorScore, year: int) -> str:
    """What was done, by kind: "于12月20日完成" (a date of the report's year), "实际支出8.62万元"
    (a total cost; "实际为185元" a unit cost), "完成情况为“…”" (qualitative), "实际完成5项" /
    "实际达到98%" otherwise."""
    actual = _clause(s.actual)
    date = _DATE.match(actual)
    if date:
        return f"于{date.group(2) if int(date.group(1)) == year else actual}完成"
    if s.kind == "qualitative":
        return f"完成情况为“{actual}”"
    if s.level2 == "成本指标" or _MONEY.search(actual):
        return f"实际支出{actual}" if "总" in s.name and _MONEY.search(actual) else f"实际为{actual}"
    if actual.endswith("%"):
        return f"实际达到{actual}"
    return f"实际完成{actual}"


def _numbered(index: int, level: int = 1) -> str:
    """The outline's numbering below （一）: "1." at level 1, "（1）" at level 2 (GB/T 9704 §7.3.3)."""
    return f"{index}." if level == 1 else f"（{index}）"


_SUBJECTLESS = ("根据", "按照", "依据", "严格", "加强", "制定", "坚持", "做到", "采取", "通过", "建立", "实行",
                "落实", "认真", "及时", "积极", "定期", "对照", "结合", "财务管理", "严把", "强化", "完善")


def with_subject(text: str, me: str) -> str:
    """A params text given its subject when it starts without one: "由局应急指挥中心负责…" →
    "项目由局应急指挥中心负责…", "根据年度计划支付资金" → "我局根据年度计划支付资金"."""
    text = _clause(text)
    if text.startswith("由"):
        return "项目" + text
    if text.startswith(_SUBJECTLESS):
        return me + text
    return text


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


def _weight(value: float) -> str:
    """A 分值 as prose writes it: 10 → "10", 7.5 → "7.5"."""
    return fmt.score(value, trim=True)


def _percent(fraction: float | None, digits: int = 2, *, trim: bool = True) -> str:
    """A rate in prose, without trailing zeros: 1 → "100%", 0.4533 → "45.33%"."""
    return fmt.percent(fraction, digits, trim=trim)


def _full(s: IndicatorScore) -> bool:
    return vocab.at_full_marks(s.score, s.weight)


def _reported(s: IndicatorScore) -> bool:
    """Whether the indicator's actual was written (a blank one, 无 or — included, is asked for
    with 【待补充】 and never counted as reached or not reached)."""
    return s.kind != "unmeasured"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(wan=fmt.wan, yuan=fmt.yuan, percent=_percent, score=fmt.score, weight=_weight,
                       cdate=fmt.chinese_date, clause=_clause, target_phrase=_target_phrase,
                       actual_phrase=_actual_phrase, numbered=_numbered, subject=with_subject)
    env.tests["full"] = _full
    env.tests["reported"] = _reported
    env.globals["indicator_weight"] = lambda ev: ev.rules.indicator_total
    env.globals["light_zh"] = LIGHT_ZH
    return env


def _monitoring_args(ev: Evaluation) -> tuple:
    """(months, warnings) of the mid-year monitoring for 三（三）, or () without monitoring data
    (the section then reads as it always has)."""
    from selfeval_lib.report.corrections import mid_year_months, mid_year_warnings

    months = mid_year_months(ev)
    return (months, mid_year_warnings(ev)) if months else ()


def render_narrative(ev: Evaluation) -> dict[str, str]:
    """All parts as HTML fragments: "title" (with the illustrative-data notice), the part
    headings "一"…"五", each section by its macro name ("basic", "declaration", …
    "suggestions"), and ``note_<table>`` for each table of :data:`TABLE_SOURCES` (the
    illustrative-data note to show under it; "" when none applies)."""
    module = _environment().get_template("report.html.j2").module
    summary = indicator_summary(ev)
    approvals = ApprovalSummary(total=len(ev.vouchers), missing=sum(not v.compliant for v in ev.vouchers),
                                roles=tuple(dict.fromkeys(r for v in ev.vouchers for r in v.missing)))
    problems: list[ReportProblem] = report_problems(ev)
    me = self_name(ev)
    missing: MissingFacts = missing_facts(ev)
    args = {
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
    out = {"title": str(module.title(*args["title"])).strip()}
    for part, sections in OUTLINE:
        out[part] = str(module.part_heading(PARTS[part]))
        for name in sections:
            out[name] = str(getattr(module, name)(*args.get(name, (ev,)))).strip()
    for table, parts in TABLE_SOURCES.items():
        labels = illustrative_labels(ev, parts)
        out[f"note_{table}"] = str(module.table_note(labels)).strip() if labels else ""
    return out

