"""The monitoring report's prose as HTML fragments (render/monitoring_text.py): every part in the
report's order, each from what MonitoringReport.section_args gives it, user text escaped."""

from __future__ import annotations

from conftest import SEED_SAMPLE
from selfeval_lib.inputs.monitoring_input import load_monitored
from selfeval_lib.render.monitoring_text import monitoring_text
from selfeval_lib.report.monitoring import PARTS, SEQUENCE, MonitoringReport


def test_every_part_the_report_shows_in_order():
    report = MonitoringReport.build(load_monitored(SEED_SAMPLE, 7, None), 7, earlier=())
    text = monitoring_text(report)
    shown = [k for steps in SEQUENCE.values() for kind, keys, _ in steps if kind == "text" for k in keys]
    assert sorted(text) == sorted(shown)
    assert list(text)[:6] == ["title", *PARTS]
    assert all(text[k] for k in shown)
    assert text["signature"].startswith('<div class="signature">') and report.result.unit in text["signature"]
    assert set(report.section_args()) == {"title", "basic", "execution", "indicators", "deviations", "next_steps",
                                          "signature"}
    assert monitoring_text(report) == text
