"""Run the report notebook for one project-year and write its files atomically.

``run_report`` validates first (no kernel is started for bad params), evaluates once, and, when
a notebook format is asked for, executes ``selfeval_report.ipynb`` with papermill: the notebook
receives the evaluation through its ``evaluation_path`` parameter (a private temporary file,
see :func:`~selfeval_lib.report.notebook.save_report_inputs`) and does not read the params
again. It writes ``report.ipynb``, ``report.html``, ``report.pdf``, ``自评表.xlsx``,
``report.docx`` (as asked) and ``metrics.json`` under ``<out>/<year>/<project-id>/``.
Files are written under a temporary name and moved into place only when every requested file
is ready, so a failed run keeps the last good files.

Without a warm kernel (``selfeval run``), the kernel starts on a thread right after validation,
and the renderers' imports are done while the notebook executes, so start-up costs overlap.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from selfeval_lib._version import __version__
from selfeval_lib.core.evaluation import Evaluation, evaluate, to_dict
from selfeval_lib.errors import CellFailed, ReportError
from selfeval_lib.files.atomic import ensure_folder, refuse_case_twin, update_json, write_files
from selfeval_lib.inputs.files import resolved, shown
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.inputs.rulesets import rules_source
from selfeval_lib.resources import REPORT_NOTEBOOK
from selfeval_lib.runner.inprocess import InProcess
from selfeval_lib.runner.kernel import WarmKernel
from selfeval_lib.render.metrics import metrics_json
from selfeval_lib.report.checklist import checklist_counts
from selfeval_lib.render.registry import CHECKLIST_FILE, METRICS_FILE, RenderContext, render_all, render_checklist, warm_up
from selfeval_lib.runner.options import DEFAULT_KERNEL, RunOptions, monitoring_folder

NOTEBOOK = REPORT_NOTEBOOK
#: The notebook parameter that names the saved evaluation (dropped from the saved notebook).
EVALUATION_PARAMETER = "evaluation_path"
#: Name of the temporary evaluation files: ``.selfeval-<pid>-<random>.pickle`` in the temp folder.
EVALUATION_FILE_PREFIX = ".selfeval-"
#: The output tree's state (``<out>/.selfeval-state.json``; see :mod:`selfeval_lib.batch.state`)
#: and its key that says, per report folder, which params file (path and hash) produced it.
STATE_FILE = ".selfeval-state.json"
FOLDERS_KEY = "folders"

__all__ = ["FOLDERS_KEY", "NOTEBOOK", "ReportError", "RunResult", "STATE_FILE", "check_pdf_engine", "execute_notebook", "execute_with_inputs", "provenance",
           "provenance_footer", "record_pdf_engine", "record_report_folder", "report_folder", "run_report", "set_report_folder",
           "strip_run_metadata"]


@dataclass
class RunResult:
    """Where the files went and how long each step took (seconds)."""

    out_dir: Path
    files: list[Path]
    metrics: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(loaded: LoadedProject, notebook: Path) -> dict[str, str]:
    """Hashes and versions that identify a report; no timestamps."""
    return {
        "params_file": shown(loaded.path.name),  # printable even when its bytes are not UTF-8
        "params_sha256": loaded.params_sha256,
        "rule_set": loaded.rules.name,
        "rules_title": loaded.rules.title,
        "rules_file": rules_source(loaded.rules_path),  # "bundled" or the file's path: never silent
        "rules_sha256": loaded.rules_sha256,
        "notebook_sha256": sha256_file(notebook),
        "selfeval_version": __version__,
    }


def provenance_footer(prov: dict[str, str], rules_title: str) -> dict[str, str]:
    """The provenance as the report's footer shows it (Chinese labels)."""
    return {
        "参数文件": prov["params_file"],
        "参数文件 SHA-256": prov["params_sha256"],
        "规则集": f"{rules_title}（{'本软件内置' if prov.get('rules_file') == 'bundled' else '自定义规则文件'}）",
        "规则文件": "本软件内置" if prov.get("rules_file") == "bundled" else prov.get("rules_file", ""),
        "规则集 SHA-256": prov["rules_sha256"],
        "报告笔记本 SHA-256": prov["notebook_sha256"],
        "selfeval 版本": prov["selfeval_version"],
    }


def strip_run_metadata(nb):
    """Remove papermill's timings, machine paths and the temporary ``evaluation_path``, and
    number the cells from 1, so the same inputs give the same notebook whether its kernel was
    fresh or reused (and the saved notebook re-runs from its params file alone)."""
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {k: v for k, v in pm.items() if k in ("parameters", "default_parameters")}
    nb.metadata["papermill"].get("parameters", {}).pop(EVALUATION_PARAMETER, None)
    count = 0
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
            cell.source = "\n".join(line for line in cell.source.split("\n")
                                    if not line.startswith(f"{EVALUATION_PARAMETER} = "))
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):  # Out[n] follows the cell, not the kernel's history
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count
    return nb


def execute_notebook(notebook: Path, parameters: dict[str, str], kernel: WarmKernel | InProcess, timeout: int | None):
    """Execute ``notebook`` with papermill on ``kernel`` (or in this process), in memory; :class:`CellFailed` names the
    failing cell, :class:`~selfeval_lib.errors.KernelTimeout` a cell past the time limit."""
    from papermill.exceptions import PapermillExecutionError

    try:
        return kernel.execute(notebook, parameters, timeout)
    except PapermillExecutionError as exc:
        first_line = (exc.source or "").strip().splitlines()[:1]
        raise CellFailed(notebook.name, _source_cell_number(notebook, exc.source, exc.cell_index),
                         first_line[0] if first_line else "", exc.ename, exc.evalue) from None


def _source_cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """1-based position of the failing cell in the notebook as its author sees it (the executed
    copy has papermill's injected parameters cell in addition)."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    for number, cell in enumerate(cells, start=1):
        if cell.source == source:
            return number
    return executed_index + 1


def remove_evaluation_files(pid: int) -> None:
    """Remove the temporary evaluation files of process ``pid`` (a batch worker that died)."""
    for path in Path(tempfile.gettempdir()).glob(f"{EVALUATION_FILE_PREFIX}{pid}-*.pickle"):
        path.unlink(missing_ok=True)


def _preload(options: RunOptions, kernel: WarmKernel | None, engine_ready: threading.Event) -> threading.Thread:
    """Do the imports and first-use set-up the run will need, on one thread, while the run
    validates and executes: a named browser launched first (it starts in processes of its own),
    then papermill and what executes the notebook — ``kernel``'s engine once its process is
    launched, or the in-process shell with the notebooks' imports (then ``engine_ready`` is
    set) — then the renderers (:func:`~selfeval_lib.render.registry.warm_up`). Errors are left
    for the step itself to raise."""
    def target() -> None:
        try:
            if "pdf" in options.formats and options.pdf_engine == "browser":
                warm_up(["pdf"], options.pdf_engine, options.browser)
            if kernel is not None:
                kernel.wait_launched()
                from selfeval_lib.runner.kernel import register_engine

                register_engine()
            else:
                from selfeval_lib.runner import inprocess

                inprocess.register_engine()
                inprocess.preload()
            engine_ready.set()
            warm_up(options.formats, options.pdf_engine, options.browser)
        except Exception:
            pass
        finally:
            engine_ready.set()

    thread = threading.Thread(target=target, name="selfeval-preload", daemon=True)
    thread.start()
    return thread


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - started


class KernelSession:
    """What one run executes its notebook on: the caller's warm kernel (a batch worker's); else,
    when a notebook format is asked for, this process (:mod:`.inprocess`) or, with
    ``options.kernel_name`` (or inside a running IPython), a kernel started here — launched
    before the parent's own work and shut down in the background while the files are rendered.
    The run's imports are preloaded meanwhile (:func:`_preload`). Use :meth:`ready` before
    executing, :meth:`release` once executed, :meth:`rendering` before rendering and
    :meth:`close` at the end (in a ``finally``)."""

    def __init__(self, options: RunOptions, kernel: WarmKernel | None, timings: dict[str, float] | None = None) -> None:
        self.kernel: WarmKernel | InProcess | None = kernel
        self.timings = timings if timings is not None else {}
        self._own: WarmKernel | None = None
        self._loading: threading.Thread | None = None
        self._stopping: threading.Thread | None = None
        self._engine_ready = threading.Event()
        self._engine_ready.set()
        if options.needs_notebook and kernel is None:
            from selfeval_lib.runner import inprocess

            if options.kernel_name is None and inprocess.available():
                self.kernel = InProcess()
            else:
                self._own = self.kernel = WarmKernel(options.kernel_name or DEFAULT_KERNEL, cwd=options.notebook.parent)
                self._own.start_in_background()
            self._engine_ready.clear()
            self._loading = _preload(options, self._own, self._engine_ready)

    def ready(self) -> WarmKernel | InProcess:
        """What to execute on, once papermill's engine is registered (papermill is imported by one
        thread only); the wait is timed as ``timings["start"]``."""
        with _timed(self.timings, "start"):
            self._engine_ready.wait()
        assert self.kernel is not None
        return self.kernel

    def release(self) -> None:
        """The notebook is executed (or failed): an own kernel starts shutting down."""
        if self._own is not None and self._stopping is None:
            self._stopping = threading.Thread(target=self._own.shutdown, name="selfeval-kernel-stop")
            self._stopping.start()

    def rendering(self) -> None:
        """Wait for the preloading (the exporters the renderers use) to finish; the wait is timed
        as ``timings["warm_up"]``."""
        if self._loading is not None:
            with _timed(self.timings, "warm_up"):
                self._loading.join()

    def close(self) -> None:
        """Wait for an own kernel's shutdown."""
        if self._stopping is not None:
            self._stopping.join()


def run_report(params_path: str | Path, out_root: str | Path = "outputs", options: RunOptions = RunOptions(), *,
               kernel: WarmKernel | None = None, loaded: LoadedProject | None = None,
               record: bool = True) -> RunResult:
    """Validate (unless ``loaded`` is given, already validated), evaluate, execute and export
    one project-year's report (see the module docstring), and record which params file the
    report folder now holds (:func:`record_report_folder`; ``record=False`` when the caller
    records it itself, as a batch does with the outcome). ``kernel`` is a batch worker's warm
    kernel; without it a kernel is started for this report and shut down after it."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if loaded is None:
        loaded = load_project(resolved(params_path), rule_set=options.rule_set)
    ensure_folder(Path(out_root))  # an output tree that cannot be written fails before any work
    check_pdf_engine(options)
    project = loaded.project_year.project
    refuse_case_twin(Path(out_root) / str(project.year), project.id)
    session = KernelSession(options, kernel, timings)
    try:
        try:
            ev = evaluate(loaded.project_year, loaded.rules)
            prov = provenance(loaded, options.notebook)
            metrics = {**to_dict(ev), "provenance": prov, "checklist": checklist_counts(ev)}
            project = loaded.project_year.project
            out_dir = Path(out_root) / str(project.year) / project.id
            timings["validate"] = time.perf_counter() - started
            nb = _execute(loaded, ev, options, session.ready(), timings) if options.needs_notebook else None
        finally:
            session.release()
        session.rendering()
        ctx = RenderContext(evaluation=ev, provenance=provenance_footer(prov, loaded.rules.title),
                            title=f"{project.year}年度{project.name}绩效自评报告", notebook=nb,
                            pdf_engine=options.pdf_engine, browser=options.browser)
        contents = render_all(ctx, options.formats, timings)
        record_pdf_engine(metrics, options)
        contents[CHECKLIST_FILE] = render_checklist(ev)  # the preparer's 自查清单, with every run
        contents[METRICS_FILE] = metrics_json(metrics)
        files = write_files(out_dir, contents)
        if record:
            record_report_folder(out_root, loaded)
    finally:
        session.close()
    timings["total"] = time.perf_counter() - started
    return RunResult(out_dir=out_dir, files=files, metrics=metrics, timings=timings)


def check_pdf_engine(options: RunOptions) -> None:
    """Refuse before any work a PDF engine named that cannot print here (:func:`~selfeval_lib.render.pdf.check_engine`)."""
    if "pdf" in options.formats:
        from selfeval_lib.render.pdf import check_engine

        check_engine(options.pdf_engine, options.browser)


def record_pdf_engine(metrics: dict[str, Any], options: RunOptions) -> None:
    """Say in the metrics which engine printed the PDF (``weasyprint`` or ``browser``), when one was asked for."""
    if "pdf" in options.formats:
        from selfeval_lib.render.pdf import resolve_engine

        metrics["pdf_engine"] = resolve_engine(options.pdf_engine)


def report_folder(loaded: LoadedProject, month: int | None = None) -> tuple[str, dict[str, str]]:
    """The report folder of a project-year (``"<year>/<id>"``, under the output root; with
    ``month``, its monitoring report's ``"<year>/<id>/monitoring-MM"``) and the record of the
    params file that made it (absolute path and hash), as the state keeps it."""
    project = loaded.project_year.project
    folder = f"{project.year}/{project.id}" + (f"/{monitoring_folder(month)}" if month is not None else "")
    return folder, {"params": str(Path(loaded.path).resolve()), "params_sha256": loaded.params_sha256}


def set_report_folder(data: dict[str, Any], loaded: LoadedProject, month: int | None = None) -> None:
    """In the state's data, record that the report folder (of ``month``'s monitoring report, if
    given) now holds ``loaded``'s report."""
    folder, producer = report_folder(loaded, month)
    folders = data.get(FOLDERS_KEY)
    data[FOLDERS_KEY] = {**(folders if isinstance(folders, dict) else {}), folder: producer}


def record_report_folder(out_root: str | Path, loaded: LoadedProject, month: int | None = None) -> None:
    """Record in the output tree's state (under its lock, merged with what other processes
    recorded) that ``OUT/<year>/<id>/`` (or its ``monitoring-MM/`` folder) now holds the report
    of this params file (path and hash): a batch then knows a report written by another params
    file is not its own."""
    update_json(Path(out_root) / STATE_FILE, lambda data: set_report_folder(data, loaded, month))


def _execute(loaded: LoadedProject, ev: Evaluation, options: RunOptions, kernel: WarmKernel | InProcess,
             timings: dict[str, float]):
    """Execute the notebook on ``kernel``, handing it the evaluation (see the module docstring);
    the executed notebook, stripped of run metadata."""
    from selfeval_lib.report.notebook import save_report_inputs

    def save(path: Path, params: Path) -> None:
        save_report_inputs(path, replace(loaded, path=params), ev)

    return execute_with_inputs(loaded.path, save, {}, options, kernel, timings)


def execute_with_inputs(params_path: Path, save_inputs: Callable[[Path, Path], None], parameters: dict[str, Any],
                        options: RunOptions, kernel: WarmKernel | InProcess, timings: dict[str, float]):
    """Execute ``options.notebook`` on ``kernel`` with what the parent computed: ``save_inputs(file,
    params)`` writes it to a private temporary file (removed afterwards) whose path the notebook
    receives as ``evaluation_path``, beside ``params_path`` (resolved: the kernel runs in the
    notebook's folder), ``parameters`` and the rule set. Times it as ``timings["execute"]``; the
    executed notebook, stripped of run metadata."""
    t = time.perf_counter()
    fd, inputs_path = tempfile.mkstemp(prefix=f"{EVALUATION_FILE_PREFIX}{os.getpid()}-", suffix=".pickle")
    os.close(fd)
    try:
        params = params_path.resolve()
        save_inputs(Path(inputs_path), params)
        # shown(): a name whose bytes are not UTF-8 cannot be written into the notebook's JSON
        values = {"params_path": shown(params), **parameters, "rule_set": options.rule_set or "",
                  EVALUATION_PARAMETER: inputs_path}
        nb = strip_run_metadata(execute_notebook(options.notebook, values, kernel, options.timeout))
    finally:
        Path(inputs_path).unlink(missing_ok=True)
    timings["execute"] = time.perf_counter() - t
    return nb
