"""The 复核's text outputs: the 复核意见 of every result as one offline HTML page (Jinja template
``templates/requality/requality.html.j2``, autoescaped: every text of a unit is escaped) and
the results as JSON (sorted keys). Same results → same bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from selfeval_lib.render.metrics import json_document
from selfeval_lib.render.templating import render
from selfeval_lib.requality.model import Issuance, Requality
from selfeval_lib.requality.office import opinion_docx, workpaper_xlsx
from selfeval_lib.requality.opinion import TABLE_HEADINGS, opinion_of, show

#: Each evidence case in a word or two (the page's overview column, the command's output).
EVIDENCE_ZH = {"not_provided": "未报送，待补报", "provided": "已报送", "requested": "已通知补报，逾期按缺失计"}


def requality_html(results: Sequence[Requality], kouqing_title: str, issued: Issuance = Issuance(),
                   supplement_days: int = 15, rectify_days: int = 30) -> str:
    """One page: a summary row per result, then each 复核意见 and its annex table."""
    opinions = [{"result": r, "opinion": opinion_of(r, issued, supplement_days, rectify_days),
                 "self_total": show(r.self_total), "total": show(r.requality_total),
                 "evidence": EVIDENCE_ZH[r.evidence_status]} for r in results]
    return render("requality/requality.html.j2",
        results=list(results), opinions=opinions, kouqing=kouqing_title, headings=TABLE_HEADINGS)


def requality_json(results: Sequence[Requality], kouqing_name: str) -> bytes:
    """Every result with every field (gaps included), sorted keys, UTF-8."""
    data = {"rules": kouqing_name, "results": [r.to_dict() for r in results]}
    return json_document(data)


def _safe_name(text: str) -> str:
    """``text`` as part of a file name on any system (at most 60 characters)."""
    return re.sub(r"[\\/:*?\"<>|\s\x00-\x1f]+", "_", text).strip("._")[:60] or "项目"


def requality_documents(results: Sequence[Requality], kouqing_name: str, kouqing_title: str,
                        issued: Issuance = Issuance(), supplement_days: int = 15,
                        rectify_days: int = 30) -> dict[str, bytes]:
    """Every file of a 复核, by name: requality.html, requality.json, workpaper.xlsx and one
    ``复核意见-NN-<project>.docx`` per result."""
    contents = {
        "requality.html": requality_html(results, kouqing_title, issued, supplement_days, rectify_days).encode("utf-8"),
        "requality.json": requality_json(results, kouqing_name),
        "workpaper.xlsx": workpaper_xlsx(results, kouqing_title),
    }
    for n, r in enumerate(results, start=1):
        contents[f"复核意见-{n:02d}-{_safe_name(r.project or Path(r.source).stem)}.docx"] = opinion_docx(
            r, issued, supplement_days, rectify_days)
    return contents
