"""Run the monitoring notebook (绩效运行监控) for one project-year and cut-off month.

``run_monitoring`` validates first, with the monitoring checks of that month (progress values
after the cut-off, a progress value in another unit than its target …; no kernel is started for
bad input, nothing is written), computes the monitoring once, and, when a notebook format is asked
for, executes ``monitoring_report.ipynb`` with papermill: like the self-evaluation, the notebook
receives what the parent computed through its ``evaluation_path`` parameter and does not read
the params again. It writes ``monitoring.ipynb``, ``monitoring.html``, ``monitoring.pdf``,
``运行监控表.xlsx``, ``monitoring.docx`` (as asked) and ``metrics.json`` under
``<out>/<year>/<project-id>/monitoring-<MM>/``, atomically (a failed run keeps the last good
files), byte-identical for the same inputs.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from selfeval_lib.files.atomic import ensure_folder, refuse_case_twin, write_files
from selfeval_lib.inputs.files import resolved
from selfeval_lib.inputs.params import LoadedProject
from selfeval_lib.render.metrics import metrics_json
from selfeval_lib.render.registry import METRICS_FILE, MonitoringContext, render_monitoring
from selfeval_lib.inputs.monitoring_input import load_monitored
from selfeval_lib.report.monitoring import MonitoringReport, monitoring_metrics
from selfeval_lib.runner.kernel import WarmKernel
from selfeval_lib.runner.options import RunOptions, monitoring_folder
from selfeval_lib.runner.run import (KernelSession, RunResult, check_pdf_engine, execute_with_inputs, provenance,
                                     provenance_footer, record_pdf_engine, record_report_folder)

__all__ = ["monitoring_title", "run_monitoring"]


def monitoring_title(report: MonitoringReport) -> str:
    """"2023年度…绩效运行监控报告（1–7月）"."""
    p = report.loaded.project_year.project
    return f"{p.year}年度{p.name}绩效运行监控报告（1–{report.month}月）"


def run_monitoring(params_path: str | Path, out_root: str | Path = "outputs", options: RunOptions | None = None,
                   *, kernel: WarmKernel | None = None, loaded: LoadedProject | None = None,
                   record: bool = True) -> RunResult:
    """Validate (unless ``loaded`` is given, already validated for ``options.month``), compute,
    execute and export one project-year's monitoring report at ``options.month`` (see the module
    docstring); ``kernel`` and ``record`` as for :func:`~selfeval_lib.runner.run.run_report`."""
    if options is None or options.month is None:
        raise ValueError("监控报告需要截止月份（RunOptions(month=N)）")
    month = options.month
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if loaded is None:
        loaded = load_monitored(resolved(params_path), month, rule_set=options.rule_set)
    ensure_folder(Path(out_root))
    check_pdf_engine(options)
    refuse_case_twin(Path(out_root) / str(loaded.project_year.project.year), loaded.project_year.project.id)
    session = KernelSession(options, kernel, timings)
    try:
        try:
            report = MonitoringReport.build(loaded, month)
            prov = provenance(loaded, options.notebook)
            metrics = {**monitoring_metrics(report), "provenance": prov}
            project = loaded.project_year.project
            out_dir = Path(out_root) / str(project.year) / project.id / monitoring_folder(month)
            timings["validate"] = time.perf_counter() - started
            nb = _execute(report, options, session.ready(), timings) if options.needs_notebook else None
        finally:
            session.release()
        session.rendering()
        ctx = MonitoringContext(report=report, provenance=provenance_footer(prov, loaded.rules.title),
                                title=monitoring_title(report), notebook=nb, pdf_engine=options.pdf_engine,
                                browser=options.browser)
        contents = render_monitoring(ctx, options.formats, timings)
        record_pdf_engine(metrics, options)
        contents[METRICS_FILE] = metrics_json(metrics)
        files = write_files(out_dir, contents)
        if record:
            record_report_folder(out_root, loaded, month)
    finally:
        session.close()
    timings["total"] = time.perf_counter() - started
    return RunResult(out_dir=out_dir, files=files, metrics=metrics, timings=timings)


def _execute(report: MonitoringReport, options: RunOptions, kernel, timings: dict[str, float]):
    """Execute the monitoring notebook on ``kernel`` with the saved monitoring (see the module
    docstring); the executed notebook, stripped of run metadata."""
    from selfeval_lib.report.monitoring import save_monitoring_inputs

    def save(path: Path, params: Path) -> None:
        save_monitoring_inputs(path, replace(report, loaded=replace(report.loaded, path=params)))

    return execute_with_inputs(report.loaded.path, save, {"month": report.month}, options, kernel, timings)
