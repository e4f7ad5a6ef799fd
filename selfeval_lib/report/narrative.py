"""The report's Chinese prose, from an :class:`~selfeval_lib.core.evaluation.Evaluation`.

Text comes from the Jinja2 template ``templates/narrative/report.html.j2`` (autoescaped, so
user text is always shown as text); every figure in it is computed by the library. The parts
follow the outline of docs/rules.md §9; :data:`OUTLINE` lists them in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.rules import LEVEL1_NAMES
from selfeval_lib.core.scoring import IndicatorScore
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


def advice(ev: Evaluation) -> list[str]:
    """The findings' suggestions, each once, most severe first."""
    return list(dict.fromkeys(f.suggestion for f in ev.findings))


def chinese_date(value: dt.date) -> str:
    """2023-03-15 → "2023年3月15日"."""
    return f"{value.year}年{value.month}月{value.day}日"


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
    env.filters.update(wan=fmt.wan, yuan=fmt.yuan, percent=fmt.percent, score=fmt.score, cdate=chinese_date)
    env.globals["indicator_weight"] = lambda ev: ev.rules.indicator_total
    return env


def render_narrative(ev: Evaluation) -> dict[str, str]:
    """All parts as HTML fragments: "title", the part headings "一"…"五", and each section by
    its macro name ("basic", "declaration", … "suggestions")."""
    module = _environment().get_template("report.html.j2").module
    summary = indicator_summary(ev)
    approvals = ApprovalSummary(total=len(ev.vouchers), missing=sum(not v.compliant for v in ev.vouchers))
    args = {
        "goals": (ev, level1_counts(ev)),
        "management": (ev, approvals),
        "completion": (ev, summary),
        "benefits": (ev, summary),
        "conclusion": (ev, summary),
        "suggestions": (ev, advice(ev)),
    }
    out = {"title": str(module.title(ev))}
    for part, sections in OUTLINE:
        out[part] = str(module.part_heading(PARTS[part]))
        for name in sections:
            out[name] = str(getattr(module, name)(*args.get(name, (ev,)))).strip()
    return out
