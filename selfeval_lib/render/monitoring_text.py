"""The 绩效运行监控报告's prose as HTML fragments, from the macros of ``monitoring/report.html.j2``
fed with what :meth:`selfeval_lib.report.monitoring.MonitoringReport.section_args` gives each part;
the notebook, the Word file and the prose check read them."""

from __future__ import annotations

from selfeval_lib.render.templating import macros
from selfeval_lib.report.monitoring import PARTS, MonitoringReport
from selfeval_lib.report.monitoring_form import ANNEX_TITLE

TEMPLATE = "monitoring/report.html.j2"


def monitoring_text(report: MonitoringReport) -> dict[str, str]:
    """The prose as HTML fragments: "title", the headings "一"…"五" and each part's body
    ("basic", "execution", "indicators", "deviations", "next_steps"), the 附件 note ("annex_note")
    and the 落款 ("signature")."""
    module = macros(TEMPLATE)
    args = report.section_args()
    out = {"title": str(module.title(*args["title"])).strip()}
    out |= {k: str(module.part_heading(v)) for k, v in PARTS.items()}
    for name in ("basic", "execution", "indicators", "deviations", "next_steps"):
        out[name] = str(getattr(module, name)(*args[name])).strip()
    out["annex_note"] = f'<p class="annex-note">附件：{ANNEX_TITLE}</p>'
    out["signature"] = str(module.signature(*args["signature"])).strip()
    return out


__all__ = ["monitoring_text"]
