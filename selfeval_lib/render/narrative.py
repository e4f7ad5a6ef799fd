"""The 自评报告's prose as HTML fragments, from the macros of ``narrative/report.html.j2`` (one per
part of the outline, docs/rules.md §9) fed with what :func:`selfeval_lib.report.narrative.section_args`
gives each part; the Word, PDF and HTML reports and the 自评表's closing rows are written from them.
"""

from __future__ import annotations

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.render.templating import macros
from selfeval_lib.report.narrative import OUTLINE, PARTS, TABLE_SOURCES, illustrative_labels, section_args

TEMPLATE = "narrative/report.html.j2"


def render_narrative(ev: Evaluation) -> dict[str, str]:
    """All parts as HTML fragments: "title" (with the illustrative-data notice), the part
    headings "一"…"五", each section by its macro name ("basic", "declaration", …
    "suggestions"), and ``note_<table>`` for each table of
    :data:`~selfeval_lib.report.narrative.TABLE_SOURCES` (the illustrative-data note to show
    under it; "" when none applies)."""
    module = macros(TEMPLATE)
    args = section_args(ev)
    out = {"title": str(module.title(*args["title"])).strip()}
    for part, sections in OUTLINE:
        out[part] = str(module.part_heading(PARTS[part]))
        for name in sections:
            out[name] = str(getattr(module, name)(*args.get(name, (ev,)))).strip()
    for table, parts in TABLE_SOURCES.items():
        labels = illustrative_labels(ev, parts)
        out[f"note_{table}"] = str(module.table_note(labels)).strip() if labels else ""
    return out


__all__ = ["render_narrative"]
