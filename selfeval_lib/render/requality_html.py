"""The 复核's pages, each one offline HTML page (zh-CN) from a template of
``data/templates/requality/`` through the one environment (:mod:`.templating`, autoescaped: every
text of a unit is escaped): the 复核意见 of every result (:func:`requality_html`), the summary
across units (:func:`summary_html`) and the 通报 (:func:`bulletin_html`). Same input → same bytes."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.render.requality_charts import summary_charts
from selfeval_lib.render.templating import render
from selfeval_lib.requality.bulletin import ANNEX_HEADINGS, bulletin_of
from selfeval_lib.requality.model import Issuance, Requality
from selfeval_lib.requality.opinion import TABLE_HEADINGS, opinion_of, show
from selfeval_lib.requality.summary_data import Summary
from selfeval_lib.requality.summary_view import (
    Section,
    distributions,
    evidence_sentence,
    method_notes,
    overview,
    sections,
    summary_title,
)

#: Each evidence case in a word or two (the page's overview column).
EVIDENCE_ZH = {"not_provided": "未报送，待补报", "provided": "已报送", "requested": "已通知补报，逾期按缺失计"}


def requality_html(results: Sequence[Requality], kouqing_title: str, issued: Issuance = Issuance(),
                   supplement_days: int = 15, rectify_days: int = 30) -> str:
    """One page: a summary row per result, then each 复核意见 and its annex table."""
    opinions = [{"result": r, "opinion": opinion_of(r, issued, supplement_days, rectify_days),
                 "self_total": show(r.self_total), "total": show(r.requality_total),
                 "evidence": EVIDENCE_ZH[r.evidence_status]} for r in results]
    return render("requality/requality.html.j2",
        results=list(results), opinions=opinions, kouqing=kouqing_title, headings=TABLE_HEADINGS)


def bulletin_html(s: Summary, issued: Issuance = Issuance(), rectify_days: int = 30) -> str:
    """The 通报 as one offline page, the same text as the Word file."""
    return render("requality/bulletin.html.j2", b=bulletin_of(s, issued, rectify_days), headings=ANNEX_HEADINGS)


def _visible(section: Section) -> dict[str, Any]:
    rows = section.rows if section.shown is None else section.rows[:section.shown]
    return {"key": section.key, "title": section.title, "note": section.note, "headings": section.headings,
            "rows": section.rows, "visible": rows, "more": len(section.rows) - len(rows)}


def summary_html(s: Summary) -> str:
    """The summary page: key figures; the charts (自评 against 复核, the gaps, the grades) with their
    distribution tables; every section of :func:`~selfeval_lib.requality.summary_view.sections`
    shown on a page; the 方法说明 (:func:`~selfeval_lib.requality.summary_view.method_notes`)."""
    rules = "、".join(f"《{t}》" for t in s.rules_titles) or "复核口径"
    lead = (f"本次复核{s.departments}个主管部门、{s.units}个单位的{s.results}个项目，预算金额合计"
            f"{fmt.wan(s.budget)}；复核口径：{rules}。" + evidence_sentence(s))
    charts = [(caption, base64.b64encode(png).decode("ascii")) for caption, png in summary_charts(s)]
    return render("requality/summary.html.j2",
        title=summary_title(s), lead=lead, overview=overview(s), charts=charts,
        distributions=[_visible(x) for x in distributions(s)] if s.projects else [],
        sections=[_visible(x) for x in sections(s) if x.page], methods=method_notes(s),
        footer="同样的材料和设置重新生成，结果相同。")
