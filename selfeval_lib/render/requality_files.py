"""Every file of a 自评质量复核, by name, as bytes: the 复核's own (:func:`requality_documents`:
the 复核意见 page and one Word file per result, the 复核底稿, the JSON) and the summary across
units (:func:`summary_documents`: page, workbook, JSON and the 通报 in Word and HTML). Same
results (and seed) → same bytes; the service writes them all at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from selfeval_lib.render.metrics import json_document
from selfeval_lib.render.requality_html import bulletin_html, requality_html, summary_html
from selfeval_lib.render.requality_office import bulletin_docx, opinion_docx, workpaper_xlsx
from selfeval_lib.render.requality_summary_xlsx import summary_workbook
from selfeval_lib.requality.model import Issuance, Requality
from selfeval_lib.requality.summary_data import Summary, summary_to_dict


def requality_json(results: Sequence[Requality], kouqing_name: str) -> bytes:
    """Every result with every field (gaps included), sorted keys, UTF-8."""
    return json_document({"rules": kouqing_name, "results": [r.to_dict() for r in results]})


def _safe_name(text: str) -> str:
    """``text`` as part of a file name on any system (at most 60 characters)."""
    return re.sub(r"[\\/:*?\"<>|\s\x00-\x1f]+", "_", text).strip("._")[:60] or "项目"


def requality_documents(results: Sequence[Requality], kouqing_name: str, kouqing_title: str,
                        issued: Issuance = Issuance(), supplement_days: int = 15,
                        rectify_days: int = 30) -> dict[str, bytes]:
    """requality.html, requality.json, workpaper.xlsx and one ``复核意见-NN-<project>.docx`` per result."""
    contents = {
        "requality.html": requality_html(results, kouqing_title, issued, supplement_days, rectify_days).encode("utf-8"),
        "requality.json": requality_json(results, kouqing_name),
        "workpaper.xlsx": workpaper_xlsx(results, kouqing_title),
    }
    for n, r in enumerate(results, start=1):
        contents[f"复核意见-{n:02d}-{_safe_name(r.project or Path(r.source).stem)}.docx"] = opinion_docx(
            r, issued, supplement_days, rectify_days)
    return contents


def summary_documents(summary: Summary, issued: Issuance = Issuance(), rectify_days: int = 30) -> dict[str, bytes]:
    """``summary.html``, ``summary.xlsx``, ``summary.json`` and the 通报 (``bulletin.docx``,
    ``bulletin.html``). ``issued``: the bureau, the date and the 文号 (blank lines to fill when not
    given); ``rectify_days``: the 口径's deadline for 整改 that the 通报 sets."""
    return {
        "summary.html": summary_html(summary).encode("utf-8"),
        "summary.xlsx": summary_workbook(summary),
        "summary.json": json_document(summary_to_dict(summary)),
        "bulletin.docx": bulletin_docx(summary, issued, rectify_days),
        "bulletin.html": bulletin_html(summary, issued, rectify_days).encode("utf-8"),
    }
