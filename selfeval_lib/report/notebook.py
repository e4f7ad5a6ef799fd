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

import pandas as pd
from matplotlib.figure import Figure

from selfeval_lib.report import charts, tables
from selfeval_lib.report.outline import CHARTS, PARTS, TABLES
from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.report.narrative import render_narrative
from selfeval_lib.inputs.params import LoadedProject, load_project

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
