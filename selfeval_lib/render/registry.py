"""Every output format of a report, each a :class:`Renderer` ``(ctx) -> bytes``, in one table.

:data:`RENDERERS` maps a format to the file it writes in the project's folder and its renderer;
:func:`render_all` renders the formats asked for. A renderer imports its library (nbconvert,
WeasyPrint, openpyxl, python-docx) only when called, so importing this module stays cheap and a
run that asks only for ``xlsx`` never loads WeasyPrint. The report HTML is built once per
context and shared by ``html`` and ``pdf``. ``metrics.json`` is written from the evaluation's
data, not from a context: see :func:`selfeval_lib.render.metrics.metrics_json`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from selfeval_lib.core.evaluation import Evaluation
    from selfeval_lib.report.monitoring import MonitoringReport


@dataclass(frozen=True)
class RenderContext:
    """What the renderers read: the evaluation, the provenance as the footer shows it (Chinese
    labels → values, in order), the report's title, the executed report notebook (stripped
    of run metadata; needed by ``ipynb``, ``html`` and ``pdf``, None when only Office files are
    asked for), and the PDF engine (``auto``, ``weasyprint``, ``browser``; :mod:`.pdf`) with
    the browser it may name."""

    evaluation: Evaluation
    provenance: Mapping[str, str]
    title: str
    notebook: NotebookNode | None = None
    pdf_engine: str = "auto"
    browser: str | None = None
    _html: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)


class Renderer(Protocol):
    """One output format: the file's contents for a context."""

    def __call__(self, ctx: RenderContext, /) -> bytes: ...


def warm_up(formats: Iterable[str], pdf_engine: str = "auto", browser: str | None = None) -> dict[str, float]:
    """The first-use set-up of the renderers of ``formats``, done ahead of the first report (while
    a kernel starts): the PDF engine started (the browser launched in the background, or
    WeasyPrint and its fonts loaded), the HTML exporter's templates compiled. The seconds each
    took, by name (``pdf``, ``html``)."""
    formats, spent = set(formats), {}
    if "pdf" in formats:
        from selfeval_lib.render.pdf import warm_up as warm_up_pdf

        started = time.perf_counter()
        warm_up_pdf(pdf_engine, browser)
        spent["pdf"] = time.perf_counter() - started
    if formats & {"html", "pdf"}:
        from selfeval_lib.render.html import warm_up_exporter

        started = time.perf_counter()
        warm_up_exporter()
        spent["html"] = time.perf_counter() - started
    return spent


def _executed_notebook(ctx: RenderContext | MonitoringContext) -> NotebookNode:
    if ctx.notebook is None:
        raise ValueError("此输出格式需要已执行的报告笔记本（RenderContext.notebook 为空）")
    return ctx.notebook


def report_html(ctx: RenderContext) -> str:
    """The report notebook as one offline HTML document, built once per context."""
    if "html" not in ctx._html:
        from selfeval_lib.render.html import notebook_to_html

        ctx._html["html"] = notebook_to_html(_executed_notebook(ctx), title=ctx.title, provenance=ctx.provenance,
                                             evaluation=ctx.evaluation)
    return ctx._html["html"]


def render_ipynb(ctx: RenderContext) -> bytes:
    """The executed notebook as .ipynb (nbformat's JSON)."""
    import nbformat

    return nbformat.writes(_executed_notebook(ctx)).encode("utf-8")


def render_html(ctx: RenderContext) -> bytes:
    """The report as HTML (UTF-8), see :func:`selfeval_lib.render.html.notebook_to_html`."""
    return report_html(ctx).encode("utf-8")


def render_pdf(ctx: RenderContext) -> bytes:
    """The report HTML as an A4 PDF (with ``ctx.pdf_engine``)."""
    return _pdf_job(ctx, report_html(ctx))()


def _pdf_job(ctx: RenderContext | MonitoringContext, html: str) -> Callable[[], bytes]:
    from selfeval_lib.render.pdf import pdf_job

    return pdf_job(html, engine=ctx.pdf_engine, browser=ctx.browser)


def render_xlsx(ctx: RenderContext) -> bytes:
    """The 自评表 workbook, in the rule set's layout."""
    from selfeval_lib.render.xlsx import self_evaluation_workbook

    return self_evaluation_workbook(ctx.evaluation)


def render_docx(ctx: RenderContext) -> bytes:
    """The report as a Word document, the provenance as its last table."""
    from selfeval_lib.render.docx import report_document

    return report_document(ctx.evaluation, provenance=ctx.provenance)


#: format → (file written in the project's folder, renderer), in canonical order.
RENDERERS: dict[str, tuple[str, Renderer]] = {
    "ipynb": ("report.ipynb", render_ipynb),
    "html": ("report.html", render_html),
    "pdf": ("report.pdf", render_pdf),
    "xlsx": ("自评表.xlsx", render_xlsx),
    "docx": ("report.docx", render_docx),
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)
#: The file each format writes in the project's folder.
FILE_NAMES: dict[str, str] = {fmt: name for fmt, (name, _) in RENDERERS.items()}
#: Formats that need the notebook executed (the Office files are built from the evaluation).
NOTEBOOK_FORMATS: tuple[str, ...] = ("ipynb", "html", "pdf")
#: The file :func:`selfeval_lib.render.metrics.metrics_json` is written to, beside the others.
METRICS_FILE = "metrics.json"
#: The preparer's 自查清单, written with every run beside metrics.json (:func:`render_checklist`).
CHECKLIST_FILE = "checklist.html"


def render_checklist(ev: Evaluation) -> bytes:
    """The 自查清单 page, from the evaluation (like metrics.json, it needs no notebook and is
    written whatever formats are asked for)."""
    from selfeval_lib.render.checklist import checklist_html

    return checklist_html(ev)


def render_all(ctx: RenderContext, formats: Iterable[str],
               timings: dict[str, float] | None = None) -> dict[str, bytes]:
    """File name → contents for each format asked for, in canonical order.

    The report HTML is built once when both ``html`` and ``pdf`` are asked for, and the PDF is
    started first: the browser prints it while the other files are rendered here. When
    ``timings`` is given, the seconds spent on each format are added to it under the format's
    name (building the HTML counts as ``html``, also when only ``pdf`` is asked for; ``pdf`` is
    the time the PDF kept this process busy or waiting). ValueError names an unknown format.
    """
    wanted = set(formats)
    unknown = sorted(wanted - set(RENDERERS))
    if unknown:
        raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
    renderers: dict[str, Callable[[], bytes]] = {fmt: partial(RENDERERS[fmt][1], ctx) for fmt in FORMATS if fmt in wanted}
    return _render(renderers, lambda: report_html(ctx), ctx, FILE_NAMES, timings)


def _render(renderers: dict[str, Callable[[], bytes]], html: Callable[[], str], ctx: RenderContext | MonitoringContext,
            names: Mapping[str, str], timings: dict[str, float] | None) -> dict[str, bytes]:
    """Run ``renderers`` (format → its call, in canonical order), the HTML first and the PDF
    started before the others (see :func:`render_all`); file name → contents."""
    spent: dict[str, float] = {}

    def timed(fmt: str, call: Callable[[], object]) -> object:
        started = time.perf_counter()
        try:
            return call()
        finally:
            spent[fmt] = spent.get(fmt, 0.0) + time.perf_counter() - started

    if renderers.keys() & {"html", "pdf"}:
        timed("html", html)
    if "pdf" in renderers:
        renderers["pdf"] = timed("pdf", lambda: _pdf_job(ctx, html()))  # type: ignore[assignment]
    contents = {fmt: timed(fmt, call) for fmt, call in renderers.items() if fmt != "pdf"}
    if "pdf" in renderers:
        contents["pdf"] = timed("pdf", renderers["pdf"])
    if timings is not None:
        for fmt, seconds in spent.items():
            timings[fmt] = timings.get(fmt, 0.0) + seconds
    return {names[fmt]: contents[fmt] for fmt in FORMATS if fmt in contents}  # type: ignore[misc]


# --- the monitoring report (绩效运行监控) ------------------------------------------------------
@dataclass(frozen=True)
class MonitoringContext:
    """What the monitoring renderers read: the monitoring report (its project, month and
    lights), the provenance as the footer shows it, the title, and the executed monitoring
    notebook (None when only Office files are asked for)."""

    report: MonitoringReport
    provenance: Mapping[str, str]
    title: str
    notebook: NotebookNode | None = None
    pdf_engine: str = "auto"
    browser: str | None = None
    _html: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)


def monitoring_html(ctx: MonitoringContext) -> str:
    """The monitoring notebook as one offline HTML document (no code), built once per context."""
    if "html" not in ctx._html:
        from selfeval_lib.render.html import notebook_to_html

        ctx._html["html"] = notebook_to_html(_executed_notebook(ctx), title=ctx.title,  # type: ignore[arg-type]
                                             provenance=ctx.provenance)
    return ctx._html["html"]


def _monitoring_renderers() -> dict[str, Callable[[MonitoringContext], bytes]]:
    def ipynb(ctx: MonitoringContext) -> bytes:
        import nbformat

        return nbformat.writes(_executed_notebook(ctx)).encode("utf-8")  # type: ignore[arg-type]

    def pdf(ctx: MonitoringContext) -> bytes:
        return _pdf_job(ctx, monitoring_html(ctx))()

    def xlsx(ctx: MonitoringContext) -> bytes:
        from selfeval_lib.render.monitoring_xlsx import monitoring_workbook

        return monitoring_workbook(ctx.report)

    def docx(ctx: MonitoringContext) -> bytes:
        from selfeval_lib.render.docx import monitoring_document

        return monitoring_document(ctx.report, provenance=ctx.provenance)

    return {"ipynb": ipynb, "html": lambda ctx: monitoring_html(ctx).encode("utf-8"), "pdf": pdf, "xlsx": xlsx,
            "docx": docx}


#: format → the file a monitoring run writes in its folder (``<year>/<id>/monitoring-MM/``).
MONITORING_FILE_NAMES: dict[str, str] = {
    "ipynb": "monitoring.ipynb", "html": "monitoring.html", "pdf": "monitoring.pdf", "xlsx": "运行监控表.xlsx",
    "docx": "monitoring.docx",
}


def render_monitoring(ctx: MonitoringContext, formats: Iterable[str],
                      timings: dict[str, float] | None = None) -> dict[str, bytes]:
    """File name → contents of each monitoring format asked for, in canonical order (the HTML
    built once for ``html`` and ``pdf``, the PDF started first); ``timings`` as for :func:`render_all`."""
    wanted = set(formats)
    unknown = sorted(wanted - set(MONITORING_FILE_NAMES))
    if unknown:
        raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
    every = _monitoring_renderers()
    renderers: dict[str, Callable[[], bytes]] = {fmt: partial(every[fmt], ctx) for fmt in FORMATS if fmt in wanted}
    return _render(renderers, lambda: monitoring_html(ctx), ctx, MONITORING_FILE_NAMES, timings)


__all__ = ["CHECKLIST_FILE", "FILE_NAMES", "FORMATS", "METRICS_FILE", "MONITORING_FILE_NAMES", "MonitoringContext",
           "NOTEBOOK_FORMATS", "RENDERERS", "RenderContext", "Renderer", "monitoring_html", "render_all",
           "render_checklist", "render_monitoring", "report_html"]
