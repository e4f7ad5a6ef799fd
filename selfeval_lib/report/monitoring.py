"""The 绩效运行监控报告's content: one object that holds a project-year's monitoring at a cut-off
month (:func:`selfeval_lib.core.monitoring.monitor`), what its prose is written from, its tables
and chart. The monitoring notebook opens it through :func:`selfeval_lib.render.notebook.open_monitoring`,
which adds the prose (:func:`selfeval_lib.render.monitoring_text.monitoring_text`) and displays it.

The report speaks in the unit's voice, in five parts (:data:`PARTS`): 一、基本情况, 二、预算执行情况
(with the cumulative execution chart), 三、绩效目标完成情况, 四、偏差原因及纠偏措施, 五、下一步工作
(what the unit will do), the 落款, and as its 附件 the 运行监控表 in the layout units fill
(:mod:`~selfeval_lib.report.monitoring_form`). Prose comes from the Jinja template
``templates/monitoring/report.html.j2`` (autoescaped, rendered in ``render``); percentages and amounts in prose carry no
trailing zeros ("执行率为45%", "8.6万元"); a missing fact is asked for once (【待补充：…】).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval_lib.core.monitoring import LIGHT_ZH, IndicatorStatus, monitor
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.monitoring_input import load_monitored
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.report.moved import moved
from selfeval_lib.report.narrative import project_self_name
from selfeval_lib.report.phrases import clause
from selfeval_lib.report.monitoring_form import form_rows, light_counts, on_plan, plan_basis, plan_months_after

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

#: The notebook's own call lives above the rendering layer now (a copied notebook is told so).
__getattr__ = moved(__name__, {"open_monitoring": "selfeval_lib.render.notebook"})
#: The parts of the report, their headings.
PARTS = {"一": "一、基本情况", "二": "二、预算执行情况", "三": "三、绩效目标完成情况",
         "四": "四、偏差原因及纠偏措施", "五": "五、下一步工作"}

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

    def on_plan(self) -> bool:
        """Spending up to month N is at least what the 用款计划 schedules by then."""
        return on_plan(self.result)

    def plan_basis(self) -> str:
        """What the 用款计划 rests on, as the unit wrote it ("" without a plan or a basis)."""
        return plan_basis(self.loaded.project_year)

    def plan_months_after(self) -> str:
        """The months after N in which the 用款计划 schedules a payment: "12月", "9月、12月"."""
        return plan_months_after(self.loaded.project_year, self.month)

    def explained(self) -> tuple[IndicatorStatus, ...]:
        """The indicators 四 speaks of: a light that needs a reason, or a reason the unit gave."""
        needed = set(self.loaded.rules.monitoring.reason_required)
        return tuple(s for s in self.result.indicators if s.light in needed or s.explanation.reason.strip())

    def execution_explained(self) -> bool:
        """Whether 四 speaks of the execution: a light that needs a reason, or the unit's reason."""
        return self.execution_flagged() or bool(self.result.execution.explanation.reason.strip())

    def next_steps(self) -> list[tuple[str, str]]:
        """五、下一步工作, what the unit will do: (subject, measure) for each measure the unit gave
        (each once), the 用款计划's payment when spending is on plan and no measure says it; the
        closing step of every report is the template's."""
        e = self.result.execution
        steps: list[tuple[str, str]] = []
        if self.execution_explained() and e.explanation.measure.strip():
            steps.append(("预算执行", clause(e.explanation.measure)))
        elif self.on_plan() and self.plan_months_after():
            steps.append(("预算执行", f"按用款计划于{self.plan_months_after()}完成支付"))
        steps += [(s.name, clause(s.explanation.measure)) for s in self.explained() if s.explanation.measure.strip()]
        seen: set[str] = set()
        return [(who, what) for who, what in steps if not (what in seen or seen.add(what))]

    def section_args(self) -> dict[str, tuple]:
        """What each part of the prose is written from: the macro's name ("title", "basic",
        "execution", "indicators", "deviations", "next_steps", "signature") → its arguments, in
        the report's order. The HTML is :func:`selfeval_lib.render.monitoring_text.monitoring_text`'s."""
        m, p = self.result, self.loaded.project_year.project
        me = project_self_name(p)
        all_counts = light_counts(m)
        counts = [(LIGHT_ZH[k], n) for k, n in all_counts.items() if n and k != "none"]
        unlit = all_counts["none"]
        misses = [s for s in m.indicators if s.will_miss]
        unlit_items = [s for s in m.indicators if s.light is None and s.kind != "time"]
        plan = {"on": self.on_plan(), "basis": self.plan_basis(), "after": self.plan_months_after()}
        return {
            "title": (m, p),
            "basic": (m, p, me, m.execution, counts, unlit, plan),
            "execution": (m, me, m.execution, self.checkpoints, plan),
            "indicators": (m, counts, unlit_items, misses),
            "deviations": (m, me, m.execution, self.execution_explained(), self.explained(), plan),
            "next_steps": (m, me, self.next_steps()),
            "signature": self.signature(),
        }

    def signature(self) -> tuple[str, str]:
        """The 落款: the unit and a blank date (full-width spaces) that the unit fills in when it
        submits the report; never the clock of the run."""
        return self.result.unit, "　　年　　月　　日"

    # --- tables ----------------------------------------------------------------------------
    def rows(self, name: str) -> tuple[list[str], list[list[Any]]]:
        """Header and rows of table ``name``, as shown: "execution" (the funds block of the
        运行监控表), "goal" (年度总体目标 | 1–N月完成情况), "indicators" (the indicator block, 偏差原因
        in the form's five columns), "findings" (:mod:`~selfeval_lib.report.monitoring_form`)."""
        return form_rows(self.result, self.loaded.project_year, name)

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` as a DataFrame of the displayed texts."""
        import pandas as pd

        head, rows = self.rows(name)
        return pd.DataFrame(rows, columns=head)

    def figure(self) -> Figure:
        """二's chart: cumulative execution by month against 序时进度 and the checkpoints, the
        projection dashed to December."""
        from selfeval_lib.report.charts import cumulative_execution_chart

        return cumulative_execution_chart(self.result, self.checkpoints)


#: Each part's elements in order: ("text", keys, "") | ("chart", "", caption) | ("annex", "", "")
#: (the 运行监控表 after the 落款, :func:`selfeval_lib.render.tables_html.annex_html`).
SEQUENCE: dict[str, tuple[tuple[str, Any, str], ...]] = {
    "title": (("text", ("title",), ""),),
    "一": (("text", ("一", "basic"), ""),),
    "二": (("text", ("二", "execution"), ""), ("chart", "", "图1  累计预算执行率与序时进度")),
    "三": (("text", ("三", "indicators"), ""),),
    "四": (("text", ("四", "deviations"), ""),),
    "五": (("text", ("五", "next_steps", "annex_note", "signature"), ""), ("annex", "", "")),
}


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


def load_monitoring(params_path: str | Path, month: int, rule_set: str | None = None,
                    evaluation_path: str | Path | None = None) -> MonitoringReport:
    """Load, validate (with the checks of ``month``) and monitor a params file; or, given
    ``evaluation_path`` (a run's :class:`~selfeval_lib.report.handoff.Handoff`), load what the
    command line has already computed for that params file and month. An empty ``params_path`` opens the bundled
    example (:func:`~selfeval_lib.resources.example_params`)."""
    from selfeval_lib.resources import example_params

    params_path = Path(params_path) if params_path else example_params()
    if evaluation_path:
        from selfeval_lib.report.handoff import load_handoff

        return load_handoff(evaluation_path, "monitoring", params_path, month=month).result
    return MonitoringReport.build(load_monitored(Path(params_path), month, rule_set), month)
