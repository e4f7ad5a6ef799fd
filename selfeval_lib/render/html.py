"""Executed notebook -> one self-contained, script-free HTML report.

The notebook's cells give the report's parts (:mod:`selfeval_lib.report.outline`); this renderer
adds the official form around them: the 落款
(unit and date), and the 附件 — the full 自评表 in the rule set's layout, from the same model
(:func:`selfeval_lib.report.self_table.self_table`) as 自评表.xlsx and the Word 附件. The
provenance is written as ``<meta>`` tags (WeasyPrint copies them to the PDF's info), never
into the body.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import bleach
import nbformat
from bleach.css_sanitizer import CSSSanitizer
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from selfeval_lib.report import annex, typography
from selfeval_lib.resources import template_dir

if TYPE_CHECKING:
    from selfeval_lib.core.evaluation import Evaluation
    from selfeval_lib.report.self_table import SelfTable

TEMPLATES_DIR = template_dir()
TEMPLATE_NAME = "report"
#: Cells tagged so (e.g. the notebook's note to analysts) are left out of the report.
REMOVE_TAG = "remove-from-report"

_TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em figcaption "
    "figure h1 h2 h3 h4 h5 h6 hr i img ins li mark ol p pre s small span strong sub "
    "sup table tbody td tfoot th thead tr u ul".split()
)
_CSS = CSSSanitizer(
    allowed_css_properties=frozenset(
        "text-align vertical-align white-space font-weight font-style color "
        "background-color width min-width max-width".split()
    )
)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.DOTALL | re.IGNORECASE)
_NUMERIC_TD = re.compile(r"<td>(\s*[-+−]?[¥$]?\d[\d,]*(?:\.\d+)?\s*%?\s*)</td>")
#: A short text cell ("齐全", "—") is never broken inside a word.
_SHORT_TD = re.compile(r"<td>(\s*[^<\s]{1,5}\s*)</td>")
#: Provenance labels (as :func:`selfeval_lib.runner.run.provenance_footer` writes them) → ``<meta>`` names.
META_NAMES = {
    "参数文件": "selfeval-params-file", "参数文件 SHA-256": "selfeval-params-sha256",
    "规则集": "selfeval-rule-set", "规则文件": "selfeval-rules-file", "规则集 SHA-256": "selfeval-rules-sha256",
    "报告笔记本 SHA-256": "selfeval-notebook-sha256", "selfeval 版本": "selfeval-version",
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id", "title", "style"):
        return True
    if tag == "img":
        return name in ("alt", "width", "height") or (
            name == "src" and value.startswith("data:image/")
        )
    if tag == "a":
        return name == "href" and not value.lower().startswith("data:")
    if tag in ("td", "th"):
        return name in ("colspan", "rowspan", "scope")
    if tag in ("ol", "li"):
        return name in ("start", "value")
    return False


def clean_report_html(html: str) -> str:
    """Sanitize an HTML fragment for the report.

    Drops ``<style>`` blocks (e.g. pandas' ``<style scoped>``; the report CSS
    styles tables), escapes any other disallowed tag (``<script>``...) so it
    shows as text, keeps only inline images, and marks numeric ``<td>`` as ``num``.
    """
    cleaned = bleach.clean(
        _STYLE_BLOCK.sub("", html),
        tags=_TAGS,
        attributes=_allowed_attribute,
        protocols=frozenset({"http", "https", "mailto", "data"}),
        css_sanitizer=_CSS,
        strip=False,
    )
    cleaned = _NUMERIC_TD.sub(r'<td class="num">\1</td>', cleaned)
    return _SHORT_TD.sub(r'<td class="short">\1</td>', cleaned)


@lru_cache(maxsize=1)
def report_exporter() -> HTMLExporter:
    """The (cached, reusable) nbconvert exporter using the ``report`` template."""
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        optimistic_validation=True,  # validate once, after the preprocessors, not after each of the 12
    )
    exporter.register_filter("clean_report_html", clean_report_html)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True
    )
    return exporter


def warm_up_exporter() -> None:
    """Compile the exporter's templates and load its Markdown renderer and sanitizer ahead of the
    first report (0.4 s of a process's first export) by exporting a notebook of one cell of
    each kind the report has, and import what the 附件 is built with (its layouts import openpyxl)."""
    import selfeval_lib.render.xlsx_layouts  # noqa: F401
    import selfeval_lib.report.self_table  # noqa: F401

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 预热\n\n正文"),
        nbformat.v4.new_code_cell("", outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": "<p>表</p><table><tr><td>1</td></tr></table>"}),
            nbformat.v4.new_output("stream", name="stdout", text="1"),
        ]),
    ])
    notebook_to_html(nb, title="预热", provenance={})


#: Cell padding and rules of the 自评表 in em (report.css: .3em each side).
ANNEX_PADDING_EM = 0.9


def _text(value: str) -> str:
    return _html.escape(value, quote=True).replace("\n", "<br>")


def self_table_html(table: SelfTable, widths: tuple[float, ...]) -> str:
    """The 自评表 as HTML: the same cells and merges as the workbook, values as its number formats
    show them; ``widths`` are the sheet's column widths (relative), fitted to the numbers. Two tables
    on the same columns: the form's head (funds, 年度总体目标), then the indicators with their
    header row as ``<thead>``, repeated on every page the table runs onto."""
    from selfeval_lib.report.self_table import display

    fitted = annex.widths_mm(table, widths, typography.ANNEX_TABLE.size_pt, ANNEX_PADDING_EM)
    cols = "<colgroup>" + "".join(f'<col style="width: {w * 100 / sum(fitted):.2f}%">' for w in fitted) + "</colgroup>"
    spans = table.spans()
    rows: dict[int, list[str]] = {}
    for (r, _), (cell, rowspan, colspan) in spans.items():
        tag = "th" if cell.header else "td"
        classes = [c for c, on in (("num", cell.kind != "text"), ("left", cell.left), ("bold", cell.bold)) if on]
        attrs = "".join((f' rowspan="{rowspan}"' if rowspan > 1 else "", f' colspan="{colspan}"' if colspan > 1 else "",
                         f' class="{" ".join(classes)}"' if classes else ""))
        rows.setdefault(r, []).append(f"<{tag}{attrs}>{_text(display(cell))}</{tag}>")

    def body(first: int, last: int) -> str:
        return "".join(("<tr class=\"total\">" if r in totals else "<tr>") + "".join(rows.get(r, [])) + "</tr>"
                       for r in range(first, last + 1))

    totals = {r for (r, _), (cell, _, _) in spans.items() if cell.value == "总分"}

    head, *rest = annex.parts(table)
    out = (f'<table class="self-table{" self-table-head" if rest else ""}"><caption>{_text(table.title)}</caption>'
           f"{cols}<tbody>{body(*head)}</tbody></table>")
    first_col = min(c for _, c in spans)
    for first, last in rest:
        out += (f'<table class="self-table self-table-indicators">{cols}<thead>{body(first, first)}</thead>'
                + "".join(_row_group(body, a, b) for a, b in _groups(spans, first_col, first + 1, last))
                + "</table>")
    return out


#: A 一级指标 block of at most this many rows is kept on one page (more would leave big gaps).
KEEP_ROWS = 12


def _groups(spans: dict, col: int, first: int, last: int) -> list[tuple[int, int]]:
    """Rows ``first``–``last`` cut where a cell of column ``col`` (the 一级指标) starts: each block's
    merged cell then never runs over a page break, where a PDF draws it without its lower rule and
    a reader of the PDF (the review among them) cannot tell its rows apart."""
    starts = sorted({r for (r, c) in spans if c == col and first <= r <= last} | {first})
    return [(a, b - 1) for a, b in zip(starts, starts[1:] + [last + 1])]


def _row_group(body, first: int, last: int) -> str:
    keep = ' class="keep"' if last - first + 1 <= KEEP_ROWS else ""
    return f"<tbody{keep}>{body(first, last)}</tbody>"


def official_form(ev: Evaluation) -> dict[str, str]:
    """The 落款 and the 附件 of the report as escaped HTML (``signature``, ``annex``)."""
    from selfeval_lib.render.xlsx_layouts import LAYOUTS, report_self_table
    from selfeval_lib.report.self_table import signature

    unit, date = signature(ev)
    table = report_self_table(ev)
    page = ('<p class="annex-note">附件：项目支出绩效自评表</p>'
           f'<div class="signature"><p>{_text(unit)}</p><p>{_text(date)}</p></div>'
           '<section class="annex"><p class="annex-label">附件</p>'
           f"{self_table_html(table, LAYOUTS[table.layout].widths)}</section>")
    return {"annex": page}


def notebook_to_html(
    nb: nbformat.NotebookNode, *, title: str, provenance: Mapping[str, str], evaluation: Evaluation | None = None
) -> str:
    """Render an executed notebook's outputs as one offline HTML document.

    No code, prompts, stderr, tracebacks or scripts are emitted; images are
    inlined as data URIs. ``provenance`` goes, escaped, into ``<meta>`` tags (names
    :data:`META_NAMES`), not into the body. Given the ``evaluation``, the 落款 and the 附件
    (自评表) follow the notebook's cells (figure captions are the notebook's own, from the outline). Output is
    byte-identical for identical inputs.
    """
    meta = [(META_NAMES.get(str(k), f"selfeval-provenance-{i}"), f"{k}：{v}" if str(k) not in META_NAMES else str(v))
            for i, (k, v) in enumerate(provenance.items(), 1)]
    resources = {
        "report": {
            "title": str(title),
            "meta": meta,
            "typography_css": typography.css(),
            **(official_form(evaluation) if evaluation is not None else {}),
        }
    }
    html, _ = report_exporter().from_notebook_node(nb, resources=resources)
    return html
