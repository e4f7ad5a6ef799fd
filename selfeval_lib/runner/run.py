"""Run the report notebook for one project-year and write its files atomically.

``run_report`` validates first (no kernel is started for bad params), executes
``notebooks/selfeval_report.ipynb`` with papermill when a notebook format is asked for, and
writes ``report.ipynb``, ``report.html``, ``report.pdf``, ``自评表.xlsx``, ``report.docx`` (as
asked) and ``metrics.json`` under ``<out>/<year>/<project-id>/``.
Files are written under a temporary name and moved into place only when every requested file
is ready, so a failed run keeps the last good files.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import nbformat

from selfeval_lib import __version__
from selfeval_lib.files.atomic import write_files
from selfeval_lib.core.evaluation import evaluate, to_dict
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.render.html import notebook_to_html
from selfeval_lib.runner.kernel import KernelTimeout, WarmKernel
from selfeval_lib.resources import REPORT_NOTEBOOK
from selfeval_lib.runner.options import FILE_NAMES, FORMATS, NOTEBOOK_FORMATS

NOTEBOOK = REPORT_NOTEBOOK


class ReportError(Exception):
    """The notebook failed; the message names the failing cell."""


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
        "params_file": loaded.path.name,
        "params_sha256": loaded.params_sha256,
        "rule_set": loaded.rules.name,
        "rules_sha256": loaded.rules_sha256,
        "notebook_sha256": sha256_file(notebook),
        "selfeval_version": __version__,
    }


def provenance_footer(prov: dict[str, str], rules_title: str) -> dict[str, str]:
    """The provenance as the report's footer shows it (Chinese labels)."""
    return {
        "参数文件": prov["params_file"],
        "参数文件 SHA-256": prov["params_sha256"],
        "规则集": f"{prov['rule_set']}（{rules_title}）",
        "规则集 SHA-256": prov["rules_sha256"],
        "报告笔记本 SHA-256": prov["notebook_sha256"],
        "selfeval 版本": prov["selfeval_version"],
    }


def strip_run_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove papermill's timings and machine paths and number the cells from 1, so the same
    inputs give the same notebook whether its kernel was fresh or reused."""
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {k: v for k, v in pm.items() if k in ("parameters", "default_parameters")}
    count = 0
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
    return nb


def execute_notebook(notebook: Path, parameters: dict[str, str], kernel_name: str | None,
                     timeout: int | None, kernel: WarmKernel | None = None) -> nbformat.NotebookNode:
    """Execute with papermill in memory, on ``kernel`` when given (a batch worker's warm kernel),
    else on a kernel started for this notebook; :class:`ReportError` names the failing cell."""
    from papermill.exceptions import PapermillExecutionError
    from papermill.iorw import load_notebook_node

    source = load_notebook_node(str(notebook))
    try:
        if kernel is not None:
            return kernel.execute(source, parameters, str(notebook), timeout)
        with WarmKernel(kernel_name or "python3", cwd=notebook.parent) as fresh:
            return fresh.execute(source, parameters, str(notebook), timeout)
    except PapermillExecutionError as exc:
        first_line = (exc.source or "").strip().splitlines()[:1]
        raise ReportError(
            f"报告笔记本 {notebook.name} 第 {_source_cell_number(notebook, exc.source, exc.cell_index)} 个单元格"
            f"（{first_line[0] if first_line else ''}）出错：{exc.ename}: {exc.evalue}"
        ) from None
    except KernelTimeout as exc:
        raise ReportError(str(exc)) from None


def _source_cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """1-based position of the failing cell in the notebook as its author sees it (the executed
    copy has papermill's injected parameters cell in addition)."""
    cells = nbformat.read(notebook, as_version=4).cells
    for number, cell in enumerate(cells, start=1):
        if cell.source == source:
            return number
    return executed_index + 1


def metrics_json(metrics: dict[str, Any]) -> bytes:
    return (json.dumps(metrics, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def run_report(params_path: str | Path, out_root: str | Path = "outputs", formats: Iterable[str] = FORMATS,
               rule_set: str | None = None, notebook: Path = NOTEBOOK, kernel_name: str | None = None,
               timeout: int | None = 600, kernel: WarmKernel | None = None) -> RunResult:
    """Validate, execute and export one project-year's report (see the module docstring)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    params = Path(params_path).resolve()
    loaded = load_project(params, rule_set=rule_set)
    ev = evaluate(loaded.project_year, loaded.rules)
    prov = provenance(loaded, notebook)
    metrics = {**to_dict(ev), "provenance": prov}
    project = loaded.project_year.project
    out_dir = Path(out_root) / str(project.year) / project.id
    timings["validate"] = time.perf_counter() - started

    contents: dict[str, bytes] = {}
    formats = tuple(formats)
    if any(f in NOTEBOOK_FORMATS for f in formats):
        t = time.perf_counter()
        nb = strip_run_metadata(execute_notebook(
            notebook, {"params_path": str(params), "rule_set": rule_set or ""}, kernel_name, timeout, kernel))
        timings["execute"] = time.perf_counter() - t
        if "ipynb" in formats:
            contents[FILE_NAMES["ipynb"]] = nbformat.writes(nb).encode("utf-8")
        if "html" in formats or "pdf" in formats:
            t = time.perf_counter()
            title = f"{project.year}年度{project.name}绩效自评报告"
            html = notebook_to_html(nb, title=title, provenance=provenance_footer(prov, loaded.rules.title))
            timings["html"] = time.perf_counter() - t
            if "html" in formats:
                contents[FILE_NAMES["html"]] = html.encode("utf-8")
            if "pdf" in formats:
                from selfeval_lib.render.pdf import html_to_pdf

                t = time.perf_counter()
                contents[FILE_NAMES["pdf"]] = html_to_pdf(html)
                timings["pdf"] = time.perf_counter() - t
    if "xlsx" in formats:
        from selfeval_lib.render.xlsx import self_evaluation_workbook

        t = time.perf_counter()
        contents[FILE_NAMES["xlsx"]] = self_evaluation_workbook(ev)
        timings["xlsx"] = time.perf_counter() - t
    if "docx" in formats:
        from selfeval_lib.render.docx import report_document

        t = time.perf_counter()
        contents[FILE_NAMES["docx"]] = report_document(ev, provenance=provenance_footer(prov, loaded.rules.title))
        timings["docx"] = time.perf_counter() - t
    contents["metrics.json"] = metrics_json(metrics)
    files = write_files(out_dir, contents)
    timings["total"] = time.perf_counter() - started
    return RunResult(out_dir=out_dir, files=files, metrics=metrics, timings=timings)
