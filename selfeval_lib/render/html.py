"""Executed notebook -> one self-contained, script-free HTML report."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import bleach
import nbformat
from bleach.css_sanitizer import CSSSanitizer
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from selfeval_lib.resources import template_dir

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
    return _NUMERIC_TD.sub(r'<td class="num">\1</td>', cleaned)


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
    )
    exporter.register_filter("clean_report_html", clean_report_html)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True
    )
    return exporter


def notebook_to_html(
    nb: nbformat.NotebookNode, *, title: str, provenance: Mapping[str, str]
) -> str:
    """Render an executed notebook's outputs as one offline HTML document.

    No code, prompts, stderr, tracebacks or scripts are emitted; images are
    inlined as data URIs. ``provenance`` is shown, escaped, in a footer in the
    given order. Output is byte-identical for identical inputs.
    """
    resources = {
        "report": {
            "title": str(title),
            "provenance": [(str(k), str(v)) for k, v in provenance.items()],
        }
    }
    html, _ = report_exporter().from_notebook_node(nb, resources=resources)
    return html
