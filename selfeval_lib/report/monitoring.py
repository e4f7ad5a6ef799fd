"""What the monitoring notebook (绩效运行监控报告) calls: one object that holds a project-year's
monitoring at a cut-off month (:func:`selfeval_lib.core.monitoring.monitor`), its prose, tables
and chart, and displays them. The notebook holds no logic of its own.

In JupyterLab::

    from selfeval_lib.report.monitoring import open_monitoring
    report = open_monitoring("../params/2023/dongqu-yjglj-ydhs.yaml", 7)
    report.result.execution.light        # "red"
    report.table("indicators")           # the indicator table with lights, as a DataFrame

The report speaks in the unit's voice, in five parts (:data:`PARTS`): 一、基本情况, 二、预算执行情况
(the cumulative execution chart), 三、绩效目标完成情况 (the indicator table with lights, each light a
word and a colour), 四、偏差原因及纠偏措施, 五、下一步工作. Prose comes from the Jinja template
``templates/monitoring/report.html.j2`` (autoescaped).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.monitoring import (LIGHT_ORDER, LIGHT_ZH, IndicatorStatus, Monitoring, MonitoringCode,
                                          monitor)
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.errors import InputError, ReportError
from selfeval_lib.inputs.monitoring_input import load_monitored
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.report.narrative import _clause, project_self_name
from selfeval_lib.report.spans import merged_at, row_spans, span_cell
from selfeval_lib.resources import template_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

_INPUTS_FORMAT = "selfeval-monitoring-inputs/1"
#: The colour of each light (text on a pale ground), always shown with its word (红灯 …).
LIGHT_COLOURS = {"red": "#c00000", "yellow": "#9c6500", "green": "#2e7d32", "blue": "#1f4e79"}
LIGHT_FILLS = {"red": "#f8d7da", "yellow": "#fff2cc", "green": "#e2efda", "blue": "#ddebf7"}
#: The parts of the report, their headings.
PARTS = {"一": "一、基本情况", "二": "二、预算执行情况", "三": "三、绩效目标完成情况",
         "四": "四、偏差原因及纠偏措施", "五": "五、下一步工作"}
KIND_ZH = {"quantitative": "定量", "time": "时效", "qualitative": "定性", "unmeasured": "—"}
_MISSING = "—"
#: Findings about the filling-in of the form (the report shows them as 【待补充】), not work to do.
_PREPARER_CODES = frozenset({MonitoringCode.REASON_MISSING, MonitoringCode.MEASURE_MISSING,
                             MonitoringCode.PROGRESS_MISSING})


#: How many earlier years of a project the projection looks for.
EARLIER_YEARS = 5


def earlier_paths(params: Path) -> list[Path]:
    """The same project's earlier years in the layout ``params/<year>/<file>``: the file of the
    same name in each of the five year folders before this one that has it (newest first)."""
    folder = Path(params).resolve().parent
    if not folder.name.isdigit():
        return []
    year = int(folder.name)
    return [p for y in range(year - 1, year - 1 - EARLIER_YEARS, -1)
            if (p := folder.parent / str(y) / Path(params).name).is_file()]


def earlier_years(params: Path) -> tuple[ProjectYear, ...]:
    """The project-years of :func:`earlier_paths` that validate (one that does not is left out of
    the projection's rhythm; the core ignores a file of another project id)."""
    out = []
    for path in earlier_paths(params):
        try:
            out.append(load_project(path).project_year)
        except InputError:
            continue
    return tuple(out)


def _light_cell(light: str | None) -> str:
    if not light:
        return f"<td>{_MISSING}</td>"
    return (f'<td class="light light-{light}" style="background-color: {LIGHT_FILLS[light]}; '
            f'color: {LIGHT_COLOURS[light]}; font-weight: 700">{LIGHT_ZH[light]}</td>')


def _points(value: float | None) -> str:
    return _MISSING if value is None else fmt.score(value)


def light_counts(m: Monitoring) -> dict[str, int]:
    """Indicators by light, red first (every colour, 0 included), and ``none`` (no light yet)."""
    counts = dict.fromkeys(sorted(LIGHT_ORDER, key=LIGHT_ORDER.get), 0) | {"none": 0}
    for s in m.indicators:
        counts[s.light or "none"] += 1
    return counts


@dataclass(frozen=True)
class MonitoringReport:
    """A validated project-year monitored at ``month``, ready to display."""

    loaded: LoadedProject
    month: int
    result: Monitoring

    @classmethod
    def build(cls, loaded: LoadedProject, month: int, earlier: tuple[ProjectYear, ...] | None = None) -> MonitoringReport:
        """Monitor ``loaded`` at ``month``; ``earlier`` years of the project give the projection its
        rhythm (by default those found by :func:`earlier_years`)."""
        earlier = earlier_years(loaded.path) if earlier is None else earlier
        return cls(loaded, month, monitor(loaded.project_year, loaded.rules, month, earlier))

    @property
    def checkpoints(self) -> tuple[Any, ...]:
        """The bureau's 执行进度 checkpoints up to the cut-off month."""
        return tuple(c for c in self.loaded.rules.monitoring.checkpoints if c.month <= self.month)

    def flagged(self) -> tuple[IndicatorStatus, ...]:
        """Indicators whose light needs a reason and a measure (red, yellow by default)."""
        needed = set(self.loaded.rules.monitoring.reason_required)
        return tuple(s for s in self.result.indicators if s.light in needed)

    def execution_flagged(self) -> bool:
        needed = set(self.loaded.rules.monitoring.reason_required)
        e = self.result.execution
        return e.light in needed or e.checkpoint_light in needed

    def next_steps(self) -> list[str]:
        """五、下一步工作: the unit's measures (each once), then what the findings suggest."""
        e = self.result.execution
        measures = [e.explanation.measure] if self.execution_flagged() else []
        measures += [s.explanation.measure for s in self.flagged()]
        steps = [_clause(x) for x in measures if x.strip()]
        steps += [_clause(f.suggestion) for f in self.result.findings
                  if f.suggestion.strip() and f.code not in _PREPARER_CODES]
        steps = list(dict.fromkeys(s for s in steps if s))
        return steps or ["继续按序时进度均衡支出，按月跟踪各项绩效指标的完成情况，确保全年绩效目标如期实现"]

    @cached_property
    def text(self) -> dict[str, str]:
        """The prose as HTML fragments: "title", the headings "一"…"五" and each part's body
        ("basic", "execution", "indicators", "deviations", "next_steps") and the 落款 ("signature")."""
        module = _environment().get_template("report.html.j2").module
        m, p = self.result, self.loaded.project_year.project
        me = project_self_name(p)
        all_counts = light_counts(m)
        counts = [(LIGHT_ZH[k], n) for k, n in all_counts.items() if n and k != "none"]
        unlit = all_counts["none"]
        misses = [s for s in m.indicators if s.will_miss]
        out = {"title": str(module.title(m, p)).strip()}
        out |= {k: str(module.part_heading(v)) for k, v in PARTS.items()}
        out["basic"] = str(module.basic(m, p, me, m.execution, counts, unlit)).strip()
        out["execution"] = str(module.execution(m, m.execution, self.checkpoints)).strip()
        out["indicators"] = str(module.indicators(m, counts, unlit, misses)).strip()
        out["deviations"] = str(module.deviations(m, m.execution, self.execution_flagged(), self.flagged())).strip()
        out["next_steps"] = str(module.next_steps(m, me, self.next_steps())).strip()
        out["signature"] = str(module.signature(*self.signature())).strip()
        return out

    def signature(self) -> tuple[str, str]:
        """The 落款: the unit and a blank date (full-width spaces) that the unit fills in when it
        submits the report; never the clock of the run."""
        return self.result.unit, "　　年　　月　　日"

    # --- tables ----------------------------------------------------------------------------
    def rows(self, name: str) -> tuple[list[str], list[list[Any]]]:
        """Header and rows of table ``name`` ("execution", "indicators", "findings"), as shown
        (lights as their Chinese words)."""
        m, n = self.result, self.month
        if name == "execution":
            e = m.execution
            head = ["年初预算数（万元）", "全年预算数（万元）", f"1–{n}月执行数（万元）", "执行率", "序时进度",
                    "执行进度", "亮灯", "全年预计执行率"]
            return head, [[fmt.wan(e.budget_initial, unit=False), fmt.wan(e.budget_full_year, unit=False),
                           fmt.wan(e.executed, unit=False), fmt.percent(e.execution_rate), fmt.percent(e.time_progress),
                           _points(e.progress), e.light, fmt.percent(e.projection.rate)]]
        if name == "indicators":
            head = ["一级指标", "二级指标", "三级指标", "年度指标值", f"1–{n}月实际完成值", "完成进度",
                    "全年预计完成值", "亮灯"]
            return head, [[s.level1, s.level2, s.name, s.target, s.value or "（未填报）", _points(s.progress),
                           s.projected_text or _MISSING, s.light] for s in m.indicators]
        if name == "findings":
            return ["问题", "说明", "建议"], [[f.subject, f.message, f.suggestion] for f in m.findings]
        raise ReportError(f"没有名为“{name}”的表；可用的表：execution、indicators、findings")

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` as a DataFrame of the displayed texts (lights as 红灯/黄灯/绿灯/蓝灯)."""
        import pandas as pd

        head, rows = self.rows(name)
        light_at = head.index("亮灯") if "亮灯" in head else -1
        return pd.DataFrame([[LIGHT_ZH.get(v, _MISSING) if i == light_at else v for i, v in enumerate(r)]
                             for r in rows], columns=head)

    def table_html(self, name: str) -> str:
        """Table ``name`` as an escaped HTML table; each light a word on its colour."""
        head, rows = self.rows(name)
        light_at = head.index("亮灯") if "亮灯" in head else -1
        spans = row_spans([[str(v) for v in r] for r in rows], merged_at(head))
        out = ['<table class="report-table">', "<thead><tr>"]
        out += [f"<th>{escape(h, quote=True)}</th>" for h in head]
        out.append("</tr></thead><tbody>")
        for r, r_spans in zip(rows, spans):
            cells = [_light_cell(v) if i == light_at else span_cell(str(v), span)
                     for i, (v, span) in enumerate(zip(r, r_spans)) if span]
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)

    def figure(self) -> Figure:
        """二's chart: cumulative execution by month against 序时进度 and the checkpoints, the
        projection dashed to December."""
        from selfeval_lib.report.charts import cumulative_execution_chart

        return cumulative_execution_chart(self.result, self.checkpoints)

    # --- display (IPython) ------------------------------------------------------------------
    def show_part(self, part: str) -> None:
        """Display one part ("title", "一" … "五"): its text, tables and chart."""
        for kind, value, caption in SEQUENCE[part]:
            if kind == "text":
                self._display_html("\n".join(self.text[k] for k in value if self.text[k]))
            elif kind == "table":
                self._display_html(f'<p class="table-caption">{escape(caption)}</p>\n{self.table_html(value)}')
            else:
                from IPython.display import Image, display

                from selfeval_lib.report.charts import figure_png

                display(Image(data=figure_png(self.figure()), format="png"))
                self._display_html(f'<p class="figure-caption">{escape(caption)}</p>')

    @staticmethod
    def _display_html(html: str) -> None:
        from IPython.display import HTML, display

        if html:
            display(HTML(html))


#: Each part's elements in order: ("text", keys, "") | ("table", name, caption) | ("chart", "", caption).
SEQUENCE: dict[str, tuple[tuple[str, Any, str], ...]] = {
    "title": (("text", ("title",), ""),),
    "一": (("text", ("一", "basic"), ""),),
    "二": (("text", ("二", "execution"), ""), ("chart", "", "图1  累计预算执行率与序时进度"),
          ("table", "execution", "表1  预算执行情况")),
    "三": (("text", ("三", "indicators"), ""), ("table", "indicators", "表2  绩效指标完成情况")),
    "四": (("text", ("四", "deviations"), ""),),
    "五": (("text", ("五", "next_steps", "signature"), ""),),
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(template_dir("monitoring"))),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(wan=fmt.wan, percent=fmt.percent, clause=_clause, points=_points)
    env.globals.update(light_zh=LIGHT_ZH, colours=LIGHT_COLOURS)
    return env


def monitoring_metrics(report: MonitoringReport) -> dict[str, Any]:
    """metrics.json of a monitoring run (amounts 元 as strings, rates fractions, progress points)."""
    m, e = report.result, report.result.execution
    return {
        "kind": "monitoring",
        "project": {"year": m.year, "id": m.project_id, "name": m.project_name, "unit": m.unit},
        "month": m.month,
        "execution": {
            "budget_initial": str(e.budget_initial), "budget_full_year": str(e.budget_full_year),
            "executed": str(e.executed), "execution_rate": e.execution_rate, "time_progress": e.time_progress,
            "progress": e.progress, "light": e.light, "checkpoint_light": e.checkpoint_light,
            "checkpoint": None if e.checkpoint is None else {"month": e.checkpoint.month, "rate": e.checkpoint.rate},
            "projection": {"method": e.projection.method, "executed": str(e.projection.executed),
                           "rate": e.projection.rate, "assumption": e.projection.assumption},
        },
        "indicators": [{"name": s.name, "target": s.target, "value": s.value, "progress": s.progress,
                        "light": s.light, "projected": s.projected_text, "will_miss": s.will_miss}
                       for s in m.indicators],
        "lights": {"execution": e.light, "checkpoint": e.checkpoint_light, "indicators": light_counts(m)},
        "findings": [{"code": str(f.code), "severity": str(f.severity), "subject": f.subject, "message": f.message}
                     for f in m.findings],
    }


def save_monitoring_inputs(path: Path, report: MonitoringReport) -> None:
    """Write what :func:`open_monitoring` needs (the validated project, month and monitoring) to a
    private file of this machine, for a kernel of the same installation to load."""
    Path(path).write_bytes(pickle.dumps((_INPUTS_FORMAT, report.loaded, report.month, report.result),
                                        protocol=pickle.HIGHEST_PROTOCOL))


def open_monitoring(params_path: str | Path, month: int, rule_set: str | None = None,
                    evaluation_path: str | Path | None = None) -> MonitoringReport:
    """Load, validate (with the checks of ``month``) and monitor a params file; or, given
    ``evaluation_path`` (written by :func:`save_monitoring_inputs`), load what the command line
    has already computed for that params file and month. An empty ``params_path`` opens the bundled
    example (:func:`~selfeval_lib.resources.example_params`)."""
    from selfeval_lib.resources import example_params

    params_path = Path(params_path) if params_path else example_params()
    if evaluation_path:
        try:
            marker, loaded, saved_month, result = pickle.loads(Path(evaluation_path).read_bytes())
        except (OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError) as exc:
            raise ReportError(f"无法读取已计算的监控结果 {evaluation_path}（{type(exc).__name__}）") from None
        if marker != _INPUTS_FORMAT or loaded.path.resolve() != Path(params_path).resolve() or saved_month != month:
            raise ReportError(f"监控结果文件 {evaluation_path} 不属于参数文件 {params_path} 的 {month} 月")
        return MonitoringReport(loaded, month, result)
    return MonitoringReport.build(load_monitored(Path(params_path), month, rule_set), month)
