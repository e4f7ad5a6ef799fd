"""The summary across units as one offline HTML page (zh-CN), from
``data/templates/requality/summary.html.j2`` with autoescaping: every unit's text is escaped."""

from __future__ import annotations

import base64
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.render.templating import render
from selfeval_lib.requality.summary_data import Summary
from selfeval_lib.requality.summary_charts import summary_charts
from selfeval_lib.requality.summary_view import Section, distributions, evidence_sentence, method_notes, overview, sections


def _visible(section: Section) -> dict[str, Any]:
    rows = section.rows if section.shown is None else section.rows[:section.shown]
    return {"key": section.key, "title": section.title, "note": section.note, "headings": section.headings,
            "rows": section.rows, "visible": rows, "more": len(section.rows) - len(rows)}


def summary_title(s: Summary) -> str:
    years = "、".join(map(str, s.years))
    return f"{years}年度项目支出绩效自评质量复核汇总" if years else "项目支出绩效自评质量复核汇总"


def summary_html(s: Summary) -> str:
    """The page: key figures; the charts (自评 against 复核, the gaps, the grades) with their
    distribution tables; every section of :func:`~.summary_view.sections` shown on a page; the
    方法说明 (:func:`~.summary_view.method_notes`)."""
    rules = "、".join(f"《{t}》" for t in s.rules_titles) or "复核口径"
    lead = (f"本次复核{s.departments}个主管部门、{s.units}个单位的{s.results}个项目，预算金额合计"
            f"{fmt.wan(s.budget)}；复核口径：{rules}。" + evidence_sentence(s))
    charts = [(caption, base64.b64encode(png).decode("ascii")) for caption, png in summary_charts(s)]
    return render("requality/summary.html.j2",
        title=summary_title(s), lead=lead, overview=overview(s), charts=charts,
        distributions=[_visible(x) for x in distributions(s)] if s.projects else [],
        sections=[_visible(x) for x in sections(s) if x.page], methods=method_notes(s),
        footer="同样的材料和设置重新生成，结果相同。")


__all__ = ["summary_html", "summary_title"]
