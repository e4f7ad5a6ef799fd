"""The one run skeleton: a params file → a product's files (:func:`run_product`).

For any :class:`~selfeval_lib.runner.product.Product` (the self-evaluation, the monitoring …) a
run loads and validates the params once (no kernel is started for bad params, nothing is
written), computes the product's result once, and, when a notebook format is asked for, executes
the product's notebook with papermill: the notebook receives the result through its
``evaluation_path`` parameter (a private temporary file, :mod:`~selfeval_lib.report.handoff`)
and does not read the params again. The product's renderers then write its files (as asked),
its ``always`` files and ``metrics.json`` under ``<out>/<year>/<project-id>/`` (or the
product's folder inside it). Files are written under a temporary name and moved into place only
when every requested file is ready, so a failed run keeps the last good files; the output tree's
state records which params file each folder now holds.

Without a warm kernel (``selfeval run``), the notebook runs in this process or on a kernel started
on a thread right after validation, and the renderers' imports are done while the notebook
executes (:class:`~selfeval_lib.runner.session.KernelSession`), so start-up costs overlap.
:func:`run_report` and :func:`run_monitoring` are the two products' one-line conveniences.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from selfeval_lib._version import __version__
from selfeval_lib.errors import CellFailed, ReportError
from selfeval_lib.files.atomic import ensure_folder, refuse_case_twin, update_json, write_files
from selfeval_lib.files.digest import sha256_file
from selfeval_lib.inputs.files import resolved, shown
from selfeval_lib.inputs.params import LoadedProject
from selfeval_lib.inputs.rulesets import rules_source
from selfeval_lib.render.metrics import metrics_json
from selfeval_lib.render.registry import METRICS_FILE, RenderContext
from selfeval_lib.report.handoff import Handoff, params_name, save_handoff
from selfeval_lib.runner.inprocess import InProcess
from selfeval_lib.runner.kernel import WarmKernel
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.product import Product
from selfeval_lib.runner.options import DEFAULT_MONITORING_FORMATS
from selfeval_lib.runner.products import SELF_EVALUATION, monitoring
from selfeval_lib.runner.session import KernelSession

#: The notebook parameter that names the saved result (dropped from the saved notebook).
EVALUATION_PARAMETER = "evaluation_path"
#: Name of the temporary hand-off files: ``.selfeval-<pid>-<random>.pickle`` in the temp folder.
EVALUATION_FILE_PREFIX = ".selfeval-"
#: The output tree's state (``<out>/.selfeval-state.json``; see :mod:`selfeval_lib.batch.state`)
#: and its key that says, per report folder, which params file (path and hash) produced it.
STATE_FILE = ".selfeval-state.json"
FOLDERS_KEY = "folders"

__all__ = ["FOLDERS_KEY", "ReportError", "RunResult", "STATE_FILE", "check_pdf_engine", "execute_notebook",
           "provenance", "provenance_footer", "record_pdf_engine", "record_report_folder", "run_monitoring",
           "run_product", "run_report", "set_report_folder", "strip_run_metadata"]


@dataclass
class RunResult:
    """Where the files went and how long each step took (seconds)."""

    out_dir: Path
    files: list[Path]
    metrics: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


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


def run_product(product: Product, params_path: str | Path, out_root: str | Path = "outputs",
                options: RunOptions = RunOptions(), *, kernel: WarmKernel | None = None,
                loaded: LoadedProject | None = None, record: bool = True,
                on_loaded: Callable[[LoadedProject], None] | None = None) -> RunResult:
    """Load and validate (unless ``loaded`` is given, already validated by ``product.load``),
    compute, execute and export one project-year's ``product`` (see the module docstring), and
    record which params file its folder now holds (:func:`record_report_folder`; ``record=False``
    when the caller records it itself, as a batch does with the outcome). ``kernel`` is a batch
    worker's warm kernel; without it the notebook runs in this process or on a kernel started
    for this run. ``on_loaded(loaded)`` is called once the params are valid, before any other
    work (the command line announces a rule set from outside the package). ValueError when
    ``product`` lacks a required run parameter."""
    product.check()
    notebook = product.notebook_for(options)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if loaded is None:
        loaded = product.load_input(resolved(params_path), options.rule_set)
    if on_loaded is not None:
        on_loaded(loaded)
    ensure_folder(Path(out_root))  # an output tree that cannot be written fails before any work
    check_pdf_engine(options)
    project = loaded.project_year.project
    refuse_case_twin(Path(out_root) / str(project.year), project.id)
    out_dir = Path(out_root) / product.report_folder(project.year, project.id)
    session = KernelSession(options, notebook, kernel, timings)
    try:
        try:
            result = product.compute_result(loaded)
            prov = provenance(loaded, notebook)
            metrics = {**product.metrics(result), "provenance": prov}
            timings["validate"] = time.perf_counter() - started
            nb = None
            if options.needs_notebook:
                handoff = Handoff(product.name, params_name(loaded.path), dict(product.parameters), loaded, result)
                nb = execute_with_handoff(notebook, handoff, options, session.ready(), timings)
        finally:
            session.release()
        session.rendering()
        ctx = RenderContext(result=result, provenance=provenance_footer(prov, loaded.rules.title),
                            title=product.title(result), notebook=nb, pdf_engine=options.pdf_engine,
                            browser=options.browser)
        contents = product.renderers.render(ctx, options.formats, timings)
        record_pdf_engine(metrics, options)
        contents |= {name: render(result) for name, render in product.always.items()}
        contents[METRICS_FILE] = metrics_json(metrics)
        files = write_files(out_dir, contents)
        if record:
            record_report_folder(out_root, product, loaded)
    finally:
        session.close()
    timings["total"] = time.perf_counter() - started
    return RunResult(out_dir=out_dir, files=files, metrics=metrics, timings=timings)


def run_report(params_path: str | Path, out_root: str | Path = "outputs", options: RunOptions = RunOptions(),
               **kwargs: Any) -> RunResult:
    """The self-evaluation of one project-year (:func:`run_product`)."""
    return run_product(SELF_EVALUATION, params_path, out_root, options, **kwargs)


def run_monitoring(params_path: str | Path, month: int, out_root: str | Path = "outputs",
                   options: RunOptions = RunOptions(formats=DEFAULT_MONITORING_FORMATS), **kwargs: Any) -> RunResult:
    """The monitoring report of one project-year at cut-off ``month`` (:func:`run_product`)."""
    return run_product(monitoring(month), params_path, out_root, options, **kwargs)


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


def set_report_folder(data: dict[str, Any], folder: str, loaded: LoadedProject) -> None:
    """In the state's data, record that the report folder ``folder`` (``"<year>/<id>"``, or a
    product's folder inside it: :meth:`~selfeval_lib.runner.product.Product.report_folder`) now
    holds the report of ``loaded``'s params file (absolute path and hash)."""
    folders = data.get(FOLDERS_KEY)
    producer = {"params": str(Path(loaded.path).resolve()), "params_sha256": loaded.params_sha256}
    data[FOLDERS_KEY] = {**(folders if isinstance(folders, dict) else {}), folder: producer}


def record_report_folder(out_root: str | Path, product: Product, loaded: LoadedProject) -> None:
    """Record in the output tree's state (under its lock, merged with what other processes
    recorded) that ``product``'s folder of this project-year now holds the report of this params
    file: a batch then knows a report written by another params file is not its own."""
    project = loaded.project_year.project
    folder = product.report_folder(project.year, project.id)
    update_json(Path(out_root) / STATE_FILE, lambda data: set_report_folder(data, folder, loaded))


def execute_with_handoff(notebook: Path, handoff: Handoff, options: RunOptions, kernel: WarmKernel | InProcess,
                         timings: dict[str, float]):
    """Execute ``notebook`` on ``kernel`` with what the parent computed: ``handoff`` is saved to a
    private temporary file (removed afterwards) whose path the notebook receives as
    ``evaluation_path``, beside the params file (absolute: the kernel runs in the notebook's
    folder), the product's parameters and the rule set. Times it as ``timings["execute"]``; the
    executed notebook, stripped of run metadata."""
    t = time.perf_counter()
    fd, inputs_path = tempfile.mkstemp(prefix=f"{EVALUATION_FILE_PREFIX}{os.getpid()}-", suffix=".pickle")
    os.close(fd)
    try:
        save_handoff(Path(inputs_path), handoff)
        values = {"params_path": handoff.params, **handoff.parameters, "rule_set": options.rule_set or "",
                  EVALUATION_PARAMETER: inputs_path}
        nb = strip_run_metadata(execute_notebook(notebook, values, kernel, options.timeout))
    finally:
        Path(inputs_path).unlink(missing_ok=True)
    timings["execute"] = time.perf_counter() - t
    return nb
