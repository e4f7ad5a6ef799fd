"""What the report notebook calls: one object that holds a project-year's evaluation, its prose,
tables and charts, and displays them. The notebook holds no logic of its own.

In JupyterLab::

    from selfeval_lib.report.notebook import open_report
    report = open_report("../params/2023/dongqu-yjglj-ydhs.yaml")
    report.evaluation.funds.execution_rate      # the numbers, for exploring
    report.table("indicators")                  # a DataFrame
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Literal

import pandas as pd
from matplotlib.figure import Figure

from selfeval_lib.report import charts
from selfeval_lib.report import tables
from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.report.narrative import render_narrative
from selfeval_lib.inputs.params import LoadedProject, load_project

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
#: same sequence), in the outline of rules.md §9.
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


@dataclass(frozen=True)
class Report:
    """A loaded, validated and evaluated project-year, ready to display."""

    loaded: LoadedProject
    evaluation: Evaluation

    @cached_property
    def text(self) -> dict[str, str]:
        """The narrative's HTML fragments (see :func:`selfeval_lib.report.narrative.render_narrative`)."""
        return render_narrative(self.evaluation)

    def table(self, name: str) -> pd.DataFrame:
        return TABLES[name](self.evaluation)

    def figure(self, name: str) -> Figure:
        return CHARTS[name](self.evaluation)

    # --- display (IPython) ---------------------------------------------------------------
    def show_part(self, part: str) -> None:
        """Display one part of the report ("title", "一" … "五"): its text, tables and charts."""
        for step in PARTS[part]:
            if step.kind == "text":
                self.show(*step.keys)
            elif step.kind == "table":
                self.show_table(step.name, step.caption)
            else:
                self.show_chart(step.name)

    def show(self, *keys: str) -> None:
        """Display narrative parts, e.g. ``report.show("一", "basic")``."""
        from IPython.display import HTML, display

        display(HTML("\n".join(self.text[k] for k in keys)))

    def show_table(self, name: str, caption: str) -> None:
        from IPython.display import HTML, display

        display(HTML(f'<p class="table-caption">{_escape(caption)}</p>\n{tables.to_html(self.table(name))}'))

    def show_chart(self, name: str) -> None:
        from IPython.display import Image, display

        figure = self.figure(name)
        display(Image(data=charts.figure_png(figure), format="png"))


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def open_report(params_path: str | Path, rule_set: str | None = None) -> Report:
    """Load and validate a params file (optionally under another rule set) and evaluate it."""
    loaded = load_project(Path(params_path), rule_set=rule_set)
    return Report(loaded=loaded, evaluation=evaluate(loaded.project_year, loaded.rules))
