"""Every output format of a document, each a renderer ``(ctx) -> bytes``, one table per product.

A :class:`Renderers` table maps each format to the file it writes in the document's folder and
renders the formats asked for (:meth:`Renderers.render`): ``ipynb``, ``html`` and ``pdf`` come
from the executed notebook (the HTML built once per context and shared by ``html`` and ``pdf``),
the Office files from the product's result. :data:`REPORT` is the self-evaluation's table,
:data:`MONITORING` the monitoring report's. A renderer imports its library (nbconvert,
WeasyPrint, openpyxl, python-docx) only when called, so importing this module stays cheap and a
run that asks only for ``xlsx`` never loads WeasyPrint. ``metrics.json`` is written from the
result's data, not from a context: see :func:`selfeval_lib.render.metrics.metrics_json`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from selfeval_lib.core.evaluation import Evaluation


@dataclass(frozen=True)
class RenderContext:
    """What the renderers read: the product's result (the self-evaluation's
    :class:`~selfeval_lib.core.evaluation.Evaluation`, the monitoring's
    :class:`~selfeval_lib.report.monitoring.MonitoringReport` …), the provenance as the footer
    shows it (Chinese labels → values, in order), the document's title, the executed notebook
    (stripped of run metadata; needed by ``ipynb``, ``html`` and ``pdf``, None when only Office
    files are asked for), and the PDF engine (``auto``, ``weasyprint``, ``browser``; :mod:`.pdf`)
    with the browser it may name."""

    result: Any
    provenance: Mapping[str, str]
    title: str
    notebook: NotebookNode | None = None
    pdf_engine: str = "auto"
    browser: str | None = None
    _html: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)


class Renderer(Protocol):
    """One output format: the file's contents for a context."""

    def __call__(self, ctx: RenderContext, /) -> bytes: ...


#: Every output format, in canonical order (the order files are rendered and listed).
FORMATS: tuple[str, ...] = ("ipynb", "html", "pdf", "xlsx", "docx")
#: Formats that need the notebook executed (the Office files are built from the result).
NOTEBOOK_FORMATS: tuple[str, ...] = ("ipynb", "html", "pdf")
#: The file :func:`selfeval_lib.render.metrics.metrics_json` is written to, beside the others.
METRICS_FILE = "metrics.json"
#: The preparer's 自查清单, written with every self-evaluation run beside metrics.json (:func:`render_checklist`).
CHECKLIST_FILE = "checklist.html"


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


def _executed_notebook(ctx: RenderContext) -> NotebookNode:
    if ctx.notebook is None:
        raise ValueError("此输出格式需要已执行的报告笔记本（RenderContext.notebook 为空）")
    return ctx.notebook


def render_ipynb(ctx: RenderContext) -> bytes:
    """The executed notebook as .ipynb (nbformat's JSON)."""
    import nbformat

    return nbformat.writes(_executed_notebook(ctx)).encode("utf-8")


def _pdf_job(ctx: RenderContext, html: str) -> Callable[[], bytes]:
    from selfeval_lib.render.pdf import pdf_job

    return pdf_job(html, engine=ctx.pdf_engine, browser=ctx.browser)


@dataclass(frozen=True)
class Renderers:
    """A product's output formats: ``names`` maps every format of :data:`FORMATS` to the file it
    writes; ``html`` builds the document's HTML from the executed notebook (``html`` and ``pdf``
    share it, built once per context); ``office`` renders the formats made from the result alone
    (``xlsx``, ``docx``). Plain data (module-level functions): it crosses to batch workers."""

    names: Mapping[str, str]
    html: Callable[[RenderContext], str]
    office: Mapping[str, Renderer]

    def document_html(self, ctx: RenderContext) -> str:
        """The document's HTML, built once per context."""
        if "html" not in ctx._html:
            ctx._html["html"] = self.html(ctx)
        return ctx._html["html"]

    def renderer(self, fmt: str) -> Callable[[RenderContext], bytes]:
        """The renderer of format ``fmt``; ValueError names an unknown format."""
        if fmt == "ipynb":
            return render_ipynb
        if fmt == "html":
            return lambda ctx: self.document_html(ctx).encode("utf-8")
        if fmt == "pdf":
            return lambda ctx: _pdf_job(ctx, self.document_html(ctx))()
        if fmt in self.office:
            return self.office[fmt]
        raise ValueError(f"未知的输出格式：{fmt}（可选：{', '.join(FORMATS)}）")

    def render(self, ctx: RenderContext, formats: Iterable[str],
               timings: dict[str, float] | None = None) -> dict[str, bytes]:
        """File name → contents for each format asked for, in canonical order.

        The HTML is built once when both ``html`` and ``pdf`` are asked for, and the PDF is
        started first: the browser prints it while the other files are rendered here. When
        ``timings`` is given, the seconds spent on each format are added to it under the format's
        name (building the HTML counts as ``html``, also when only ``pdf`` is asked for; ``pdf`` is
        the time the PDF kept this process busy or waiting). ValueError names an unknown format.
        """
        wanted = set(formats)
        unknown = sorted(wanted - set(FORMATS))
        if unknown:
            raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
        spent: dict[str, float] = {}

        def timed(fmt: str, call: Callable[[], Any]) -> Any:
            started = time.perf_counter()
            try:
                return call()
            finally:
                spent[fmt] = spent.get(fmt, 0.0) + time.perf_counter() - started

        if wanted & {"html", "pdf"}:
            timed("html", partial(self.document_html, ctx))
        job = timed("pdf", lambda: _pdf_job(ctx, self.document_html(ctx))) if "pdf" in wanted else None
        contents = {fmt: timed(fmt, partial(self.renderer(fmt), ctx))
                    for fmt in FORMATS if fmt in wanted and fmt != "pdf"}
        if job is not None:
            contents["pdf"] = timed("pdf", job)
        if timings is not None:
            for fmt, seconds in spent.items():
                timings[fmt] = timings.get(fmt, 0.0) + seconds
        return {self.names[fmt]: contents[fmt] for fmt in FORMATS if fmt in contents}


# --- the self-evaluation (绩效自评报告) ------------------------------------------------------------
def report_html(ctx: RenderContext) -> str:
    """The report notebook as one offline HTML document, the 落款 and 附件 from the evaluation."""
    from selfeval_lib.render.html import notebook_to_html

    return notebook_to_html(_executed_notebook(ctx), title=ctx.title, provenance=ctx.provenance,
                            evaluation=ctx.result)


def render_xlsx(ctx: RenderContext) -> bytes:
    """The 自评表 workbook, in the rule set's layout."""
    from selfeval_lib.render.xlsx import self_evaluation_workbook

    return self_evaluation_workbook(ctx.result)


def render_docx(ctx: RenderContext) -> bytes:
    """The report as a Word document, the provenance as its last table."""
    from selfeval_lib.render.docx import report_document

    return report_document(ctx.result, provenance=ctx.provenance)


def render_checklist(ev: Evaluation) -> bytes:
    """The 自查清单 page, from the evaluation (like metrics.json, it needs no notebook and is
    written whatever formats are asked for)."""
    from selfeval_lib.render.checklist import checklist_html

    return checklist_html(ev)


#: The self-evaluation's formats: files in ``<out>/<year>/<id>/``.
REPORT = Renderers(
    names={"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf", "xlsx": "自评表.xlsx",
           "docx": "report.docx"},
    html=report_html, office={"xlsx": render_xlsx, "docx": render_docx})


# --- the monitoring report (绩效运行监控) ------------------------------------------------------
def monitoring_html(ctx: RenderContext) -> str:
    """The monitoring notebook as one offline HTML document (no code)."""
    from selfeval_lib.render.html import notebook_to_html

    return notebook_to_html(_executed_notebook(ctx), title=ctx.title, provenance=ctx.provenance)


def render_monitoring_xlsx(ctx: RenderContext) -> bytes:
    """The 运行监控表 workbook."""
    from selfeval_lib.render.monitoring_xlsx import monitoring_workbook

    return monitoring_workbook(ctx.result)


def render_monitoring_docx(ctx: RenderContext) -> bytes:
    """The monitoring report as a Word document."""
    from selfeval_lib.render.docx import monitoring_document

    return monitoring_document(ctx.result, provenance=ctx.provenance)


#: The monitoring report's formats: files in ``<out>/<year>/<id>/monitoring-MM/``.
MONITORING = Renderers(
    names={"ipynb": "monitoring.ipynb", "html": "monitoring.html", "pdf": "monitoring.pdf", "xlsx": "运行监控表.xlsx",
           "docx": "monitoring.docx"},
    html=monitoring_html, office={"xlsx": render_monitoring_xlsx, "docx": render_monitoring_docx})


__all__ = ["CHECKLIST_FILE", "FORMATS", "METRICS_FILE", "MONITORING", "NOTEBOOK_FORMATS", "REPORT", "RenderContext",
           "Renderer", "Renderers", "monitoring_html", "render_checklist", "report_html", "warm_up"]
