"""What the bundled notebooks call (render/notebook.py): an analyst's open_report(params) and
open_monitoring(params, month) with no hand-off give the content objects with their prose, and
show_part displays each part's text, tables and chart in order."""

from __future__ import annotations

import pytest

from conftest import SEED_SAMPLE
from selfeval_lib.render import notebook
from selfeval_lib.render.monitoring_text import monitoring_text
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.monitoring import SEQUENCE, MonitoringReport
from selfeval_lib.report.notebook import Report
from selfeval_lib.report.outline import PARTS


@pytest.fixture
def shown(monkeypatch):
    """What the notebook would display: ("html", text) or ("png", caption-less bytes) in order."""
    out: list[tuple[str, object]] = []
    monkeypatch.setattr(notebook, "_display_html", lambda html: out.append(("html", html)) if html else None)
    monkeypatch.setattr(notebook, "_display_png", lambda png, caption: out.append(("png", caption)))
    return out


def test_the_report_with_its_prose(shown):
    report = notebook.open_report(SEED_SAMPLE)
    assert isinstance(report, Report) and report.text == render_narrative(report.evaluation)
    report.show_part("二")
    kinds = [kind for kind, _ in shown]
    steps = PARTS["二"]
    assert kinds == ["png" if s.kind == "chart" else "html" for s in steps if s.kind != "text" or
                     any(report.text[k] for k in s.keys)]
    captions = [s.caption for s in steps if s.kind == "table"]
    assert all(any(c in str(v) for _, v in shown) for c in captions)


def test_an_empty_params_path_opens_the_bundled_example():
    assert notebook.open_report("").evaluation.project_year.project.id


def test_the_monitoring_report_with_its_prose_annex_and_chart(shown):
    report = notebook.open_monitoring(SEED_SAMPLE, 7)
    assert isinstance(report, MonitoringReport) and report.text == monitoring_text(report)
    report.show_part("二")
    assert [kind for kind, _ in shown] == ["html", "png"] and shown[1][1] == SEQUENCE["二"][1][2]
    shown.clear()
    report.show_part("五")
    assert shown[-1] == ("html", report.annex_html()) and "项目支出绩效运行监控表" in report.annex_html()
    assert '<td class="light light-' in report.table_html("indicators")
