"""The report's outline: its parts in the order of docs/rules.md §9, and the tables and charts
each part shows. The notebook shows one part per cell; the Word report follows the same sequence."""

from __future__ import annotations

from dataclasses import dataclass
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
    """One element of the report: narrative fragments (keys), a table (name, caption) or a chart."""

    kind: Literal["text", "table", "chart"]
    keys: tuple[str, ...] = ()
    name: str = ""
    caption: str = ""


#: The report, part by part (the notebook shows one part per cell; the Word report follows the
#: same sequence), in the outline of docs/rules.md §9.
PARTS: dict[str, tuple[Step, ...]] = {
    "title": (Step("text", ("title",)),),
    "一": (Step("text", ("一", "basic", "goals", "method")),),
    "二": (
        Step("text", ("二", "declaration", "plan_arrival_use")),
        Step("table", name="funds", caption="表1  资金申报、到位及执行情况"),
        Step("chart", name="monthly"),
        Step("table", name="items", caption="表2  各支出内容预算及支出情况"),
        Step("text", ("finance",)),
    ),
    "三": (
        Step("text", ("三", "organisation", "management")),
        Step("table", name="vouchers", caption="表3  支付凭证审批情况"),
        Step("text", ("supervision",)),
    ),
    "四": (
        Step("text", ("四", "completion")),
        Step("table", name="indicators", caption="表4  项目支出绩效自评表（绩效指标）"),
        Step("chart", name="scores"),
        Step("text", ("benefits",)),
    ),
    "五": (Step("text", ("五", "conclusion", "problems", "suggestions")),),
}
SEQUENCE: tuple[Step, ...] = tuple(step for steps in PARTS.values() for step in steps)
