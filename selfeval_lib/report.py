"""What the report notebook calls: one object that holds a project-year's evaluation, its prose,
tables and charts, and displays them. The notebook holds no logic of its own.

In JupyterLab::

    from selfeval_lib.report import open_report
    report = open_report("../params/2023/dongqu-yjglj-ydhs.yaml")
    report.evaluation.funds.execution_rate      # the numbers, for exploring
    report.table("indicators")                  # a DataFrame
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

import pandas as pd
from matplotlib.figure import Figure

from . import charts, tables
from .evaluate import Evaluation, evaluate
from .narrative import render_narrative
from .params_io import LoadedProject, find_rule_set, load_project, load_rule_set

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
class Report:
    """A loaded, validated and evaluated project-year, ready to display."""

    loaded: LoadedProject
    evaluation: Evaluation

    @cached_property
    def text(self) -> dict[str, str]:
        """The narrative's HTML fragments (see :func:`selfeval_lib.narrative.render_narrative`)."""
        return render_narrative(self.evaluation)

    def table(self, name: str) -> pd.DataFrame:
        return TABLES[name](self.evaluation)

    def figure(self, name: str) -> Figure:
        return CHARTS[name](self.evaluation)

    # --- display (IPython) ---------------------------------------------------------------
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
    path = Path(params_path)
    rules = load_rule_set(find_rule_set(rule_set, path)) if rule_set else None
    loaded = load_project(path, rules=rules)
    return Report(loaded=loaded, evaluation=evaluate(loaded.project_year, loaded.rules))
