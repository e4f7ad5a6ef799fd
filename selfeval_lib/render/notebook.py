"""What the bundled notebooks call: the report and the monitoring report as objects that hold
their content (:class:`selfeval_lib.report.notebook.Report`,
:class:`selfeval_lib.report.monitoring.MonitoringReport`), add their prose (rendered here, in the
rendering layer, from the one Jinja environment) and display each part. The notebooks hold no
logic of their own.

In JupyterLab::

    from selfeval_lib.render.notebook import open_report, open_monitoring
    report = open_report("../params/2023/dongqu-yjglj-ydhs.yaml")
    report.evaluation.funds.execution_rate      # the numbers, for exploring
    report.show_part("一")                      # a part as the report shows it
    july = open_monitoring("../params/2023/dongqu-yjglj-ydhs.yaml", 7)
    july.result.execution.light                 # "red"

Given ``evaluation_path`` (what ``selfeval run``/``batch``/``monitor`` hand the kernel), the
object is the one the command line computed; without it, the params file is read, validated and
evaluated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from html import escape
from pathlib import Path

from selfeval_lib.render.monitoring_text import monitoring_text
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.render.tables_html import annex_html, form_table_html, frame_html
from selfeval_lib.report.monitoring import SEQUENCE, MonitoringReport, load_monitoring
from selfeval_lib.report.notebook import Report, load_report


def _display_html(html: str) -> None:
    """Show ``html`` in the notebook (nothing for an empty fragment)."""
    from IPython.display import HTML, display

    if html:
        display(HTML(html))


def _display_png(png: bytes, caption: str) -> None:
    """Show a chart, its caption ("图1 …") below it."""
    from IPython.display import Image, display

    display(Image(data=png, format="png"))
    if caption:
        _display_html(f'<p class="figure-caption">{escape(caption)}</p>')


@dataclass(frozen=True)
class NotebookReport(Report):
    """The 自评报告 as the notebook shows it: the evaluation's tables and charts, and its prose."""

    @cached_property
    def text(self) -> dict[str, str]:
        """The narrative's HTML fragments (:func:`selfeval_lib.render.narrative.render_narrative`)."""
        return render_narrative(self.evaluation)

    def show_part(self, part: str) -> None:
        """Display one part of the report ("title", "一" … "五"): its text, tables and charts."""
        from selfeval_lib.report.outline import PARTS

        for step in PARTS[part]:
            if step.kind == "text":
                self.show(*step.keys)
            elif step.kind == "table":
                self.show_table(step.name, step.caption)
            else:
                self.show_chart(step.name, step.caption)

    def show(self, *keys: str) -> None:
        """Display narrative parts, e.g. ``report.show("一", "basic")``."""
        _display_html("\n".join(self.text[k] for k in keys if self.text[k]))

    def show_table(self, name: str, caption: str = "") -> None:
        """Display the table ``name`` formatted, under its caption (as the report shows it)."""
        head = f'<p class="table-caption">{escape(caption)}</p>\n' if caption else ""
        _display_html(head + frame_html(self.formatted_table(name)))

    def show_chart(self, name: str, caption: str = "") -> None:
        """Display the chart ``name`` as a PNG, its caption ("图1 …") below it."""
        from selfeval_lib.report import charts

        _display_png(charts.figure_png(self.figure(name)), caption)


@dataclass(frozen=True)
class NotebookMonitoring(MonitoringReport):
    """The 绩效运行监控报告 as the notebook shows it: the monitoring's tables and chart, and its prose."""

    @cached_property
    def text(self) -> dict[str, str]:
        """The prose's HTML fragments (:func:`selfeval_lib.render.monitoring_text.monitoring_text`)."""
        return monitoring_text(self)

    def annex_html(self) -> str:
        """The 附件, the 运行监控表 (:func:`selfeval_lib.render.tables_html.annex_html`)."""
        return annex_html(self.result, self.loaded.project_year)

    def table_html(self, name: str) -> str:
        """Table ``name`` as an escaped HTML table, a figure with a light on the light's pale ground."""
        return form_table_html(self.result, self.loaded.project_year, name)

    def show_part(self, part: str) -> None:
        """Display one part ("title", "一" … "五"): its text, tables and chart."""
        for kind, value, caption in SEQUENCE[part]:
            if kind == "text":
                _display_html("\n".join(self.text[k] for k in value if self.text[k]))
            elif kind == "annex":
                _display_html(self.annex_html())
            else:
                from selfeval_lib.report.charts import figure_png

                _display_png(figure_png(self.figure()), caption)


def open_report(params_path: str | Path, rule_set: str | None = None,
                evaluation_path: str | Path | None = None) -> NotebookReport:
    """The report of a params file (:func:`selfeval_lib.report.notebook.load_report`: read,
    validated and evaluated, or handed over by the command line through ``evaluation_path``).
    An empty ``params_path`` opens the bundled example, so a copied notebook runs as is."""
    report = load_report(params_path, rule_set, evaluation_path)
    return NotebookReport(report.loaded, report.evaluation)


def open_monitoring(params_path: str | Path, month: int, rule_set: str | None = None,
                    evaluation_path: str | Path | None = None) -> NotebookMonitoring:
    """The monitoring report of a params file at ``month``
    (:func:`selfeval_lib.report.monitoring.load_monitoring`)."""
    report = load_monitoring(params_path, month, rule_set, evaluation_path)
    return NotebookMonitoring(report.loaded, report.month, report.result)


__all__ = ["NotebookMonitoring", "NotebookReport", "open_monitoring", "open_report"]
