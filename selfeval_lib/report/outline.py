"""The report's outline: its parts in the order of docs/rules.md §9, and the tables and charts
each part shows. The notebook shows one part per cell; the Word report follows the same sequence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Literal

import pandas as pd
from matplotlib.figure import Figure

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.report import charts, tables

TABLES: dict[str, Callable[[Evaluation], pd.DataFrame]] = {
    "funds": tables.funds_table,
    "monthly": tables.monthly_table,
    "items": tables.items_table,
    "vouchers": tables.vouchers_table,
    "indicators": tables.indicators_table,
    "findings": tables.findings_table,
}
CHARTS: dict[str, Callable[[Evaluation], Figure]] = {
    "monthly": charts.monthly_execution_chart,
    "scores": charts.score_weight_chart,
}


@dataclass(frozen=True)
class Step:
    """One element of the report: narrative fragments (keys), a table (name, caption) or a chart.

    ``caption`` is numbered in the order of the report ("表1  资金申报、到位及执行情况",
    "图1  月度累计预算执行率与序时进度"): tables and figures are counted apart."""

    kind: Literal["text", "table", "chart"]
    keys: tuple[str, ...] = ()
    name: str = ""
    caption: str = ""


def _table(name: str, title: str) -> Step:
    return Step("table", name=name, caption=title)


def _chart(name: str, title: str) -> Step:
    return Step("chart", name=name, caption=title)


#: Between the number and the title of a caption (two spaces, as the captions have always read).
CAPTION_GAP = "  "


def _numbered(parts: dict[str, tuple[Step, ...]]) -> dict[str, tuple[Step, ...]]:
    """The parts with each table's and chart's caption prefixed by its number, 表N or 图N."""
    counts = {"table": 0, "chart": 0}
    prefix = {"table": "表", "chart": "图"}
    out: dict[str, tuple[Step, ...]] = {}
    for part, steps in parts.items():
        numbered = []
        for step in steps:
            if step.kind in counts:
                counts[step.kind] += 1
                step = replace(step, caption=f"{prefix[step.kind]}{counts[step.kind]}{CAPTION_GAP}{step.caption}")
            numbered.append(step)
        out[part] = tuple(numbered)
    return out


#: The report, part by part (the notebook shows one part per cell; the Word report follows the
#: same sequence), in the outline of docs/rules.md §9; captions numbered by :func:`_numbered`.
#: The vouchers and their approvals are a working paper: they go to the 自查清单
#: (:mod:`selfeval_lib.report.checklist`), and 三（二） states the result in a sentence.
#: ``note_<table>`` under a table or chart is the notice that its data are illustrative ("" when
#: the params declare none of its sources illustrative).
PARTS: dict[str, tuple[Step, ...]] = _numbered({
    "title": (Step("text", ("title",)),),
    "一": (Step("text", ("一", "basic", "goals", "method")),),
    "二": (
        Step("text", ("二", "declaration", "plan_arrival_use")),
        _table("funds", "资金申报、到位及执行情况"),
        Step("text", ("note_funds",)),
        _chart("monthly", "月度累计预算执行率与序时进度"),
        Step("text", ("note_monthly",)),
        _table("items", "各支出内容预算及支出情况"),
        Step("text", ("note_items",)),
        Step("text", ("finance",)),
    ),
    "三": (Step("text", ("三", "organisation", "management", "supervision")),),
    "四": (
        Step("text", ("四", "completion")),
        _table("indicators", "项目支出绩效自评表（绩效指标）"),
        Step("text", ("note_indicators",)),
        _chart("scores", "各项指标得分与分值"),
        Step("text", ("benefits",)),
    ),
    "五": (Step("text", ("五", "conclusion", "problems", "suggestions")),),
})
SEQUENCE: tuple[Step, ...] = tuple(step for steps in PARTS.values() for step in steps)
