"""The summary of a 自评质量复核 across a jurisdiction (``selfeval requality DIR --summary``).

:func:`summary_documents` renders the summary (:func:`.summary_data.summarise`: over-scoring
units, all-100 units, deductions by rule, provincial warnings, copied text, the seeded sample) as
HTML, a workbook, JSON and the 通报 draft (Word, HTML), byte-identical for the same inputs and seed.
"""

from __future__ import annotations

from selfeval_lib.render.metrics import json_document
from selfeval_lib.requality.bulletin import bulletin_document, bulletin_html
from selfeval_lib.requality.model import Issuance
from selfeval_lib.requality.summary_data import Summary, summarise, summary_to_dict
from selfeval_lib.requality.summary_html import summary_html
from selfeval_lib.requality.summary_xlsx import summary_workbook


def summary_documents(summary: Summary, issued: Issuance = Issuance(), rectify_days: int = 30) -> dict[str, bytes]:
    """``summary.html``, ``summary.xlsx``, ``summary.json`` and the 通报 (``bulletin.docx``,
    ``bulletin.html``), by name. ``issued``: the bureau, the date and the 文号 (blank lines to fill
    when not given); ``rectify_days``: the 口径's deadline for 整改 that the 通报 sets."""
    return {
        "summary.html": summary_html(summary).encode("utf-8"),
        "summary.xlsx": summary_workbook(summary),
        "summary.json": json_document(summary_to_dict(summary)),
        "bulletin.docx": bulletin_document(summary, issued, rectify_days),
        "bulletin.html": bulletin_html(summary, issued, rectify_days).encode("utf-8"),
    }


__all__ = ["Summary", "summarise", "summary_documents"]
