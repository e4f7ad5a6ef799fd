"""The report's Chinese prose, from an :class:`~selfeval_lib.core.evaluation.Evaluation`.

The report is the unit's own 自评报告: it speaks in the first person (:func:`self_name`, e.g.
"我局"), states the computed figures as the unit's findings and its problems in the unit's
words (:mod:`selfeval_lib.report.problems`). A narrative fact that is missing is shown as a
marked placeholder (【待补充：…】, class ``placeholder``; :func:`placeholder_count`); data the
params file declares illustrative get a notice on the first page and a note under each table
they feed (keys ``note_<table>``). Checks of the unit's claims against the data go to the
自查清单 (:mod:`selfeval_lib.report.checklist`), never here.

Text comes from the Jinja2 template ``templates/narrative/report.html.j2`` (autoescaped, so
user text is always shown as text); every figure in it is computed by the library. The parts
follow the outline of docs/rules.md §9; :data:`OUTLINE` lists them in order.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.model import Project
from selfeval_lib.core.monitoring import LIGHT_ZH
from selfeval_lib.core.rules import LEVEL1_NAMES
from selfeval_lib.core.scoring import IndicatorScore
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
    "vouchers": ("funds.payments",),
    "indicators": ("indicators",),
}
#: Order in which 四（一） walks the output indicators (others follow in table order).
OUTPUT_LEVEL2_ORDER = ("数量指标", "质量指标", "时效指标", "成本指标")
_SELF_NAMES = (("委员会", "我委"), ("办公室", "我办"), ("局", "我局"), ("委", "我委"), ("办", "我办"),
               ("中心", "我中心"), ("院", "我院"), ("学校", "我校"), ("所", "我所"), ("站", "我站"))
_COMPARATORS = "≥≤≧≦=＝<>＜＞"
_PLACEHOLDER = re.compile(r'<span class="placeholder">【待补充：(.*?)】</span>')
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
    shortfalls = tuple(s for s in ev.indicators if s.score < s.weight - 1e-9)
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


def level2_groups(ev: Evaluation, level1: str) -> list[tuple[str, list[IndicatorScore]]]:
    """The indicators of one 一级指标 grouped by 二级指标 (outputs in :data:`OUTPUT_LEVEL2_ORDER`)."""
    groups: dict[str, list[IndicatorScore]] = {}
    for s in ev.indicators:
        if s.level1 == level1:
            groups.setdefault(s.level2, []).append(s)
    rank = {name: i for i, name in enumerate(OUTPUT_LEVEL2_ORDER)}
    return sorted(groups.items(), key=lambda kv: rank.get(kv[0], len(rank)))


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


def _target_phrase(s: IndicatorScore) -> str:
    """"年度指标值≥600人次" for a comparison, "年度指标值为“有效提升”" for anything else."""
    target = s.target.strip()
    return f"年度指标值{target}" if target[:1] in _COMPARATORS else f"年度指标值为“{_clause(target)}”"


def _weight(value: float) -> str:
    """A 分值 as prose writes it: 10 → "10", 7.5 → "7.5"."""
    return fmt.score(value, trim=True)


def _full(s: IndicatorScore) -> bool:
    return s.score >= s.weight - 1e-9


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
    env.filters.update(wan=fmt.wan, yuan=fmt.yuan, percent=fmt.percent, score=fmt.score, weight=_weight,
                       cdate=fmt.chinese_date, clause=_clause, target_phrase=_target_phrase)
    env.tests["full"] = _full
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
    approvals = ApprovalSummary(total=len(ev.vouchers), missing=sum(not v.compliant for v in ev.vouchers))
    problems: list[ReportProblem] = report_problems(ev)
    me = self_name(ev)
    codes = {f.code for f in ev.findings}
    args = {
        "title": (ev, illustrative_labels(ev)),
        "basic": (ev, me),
        "goals": (ev, me, level1_counts(ev)),
        "method": (ev, me),
        "plan_arrival_use": (ev, codes),
        "management": (ev, me, approvals),
        "supervision": (ev, me, *_monitoring_args(ev)),
        "completion": (ev, summary, level2_groups(ev, "产出指标")),
        "benefits": (ev, level2_groups(ev, "效益指标"), level2_groups(ev, "满意度指标")),
        "conclusion": (ev, me, summary, approvals, codes),
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


def placeholders(ev: Evaluation) -> list[tuple[str, str]]:
    """(section key, label) of every 【待补充：…】 placeholder in the report, in order."""
    return [(key, html.unescape(m.group(1))) for key, fragment in render_narrative(ev).items()
            for m in _PLACEHOLDER.finditer(fragment)]


def placeholder_count(ev: Evaluation) -> int:
    """How many facts the report still shows as 【待补充：…】 (for the batch index)."""
    return len(placeholders(ev))
