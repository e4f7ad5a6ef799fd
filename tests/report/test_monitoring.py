"""The monitoring report's object without a kernel: earlier years give the projection its rhythm,
user text is escaped, each light is a word with its colour, the chart draws up to month N and the
projection, the prose has no review language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SEED_SAMPLE

from selfeval_lib.render.notebook import open_monitoring
from selfeval_lib.report.monitoring import MonitoringReport, earlier_paths
from selfeval_lib.report.prose import html_to_text, prose_problems


def _write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _two_years(tmp_path: Path) -> Path:
    """The seed (all paid in December) as 2023, and a 2022 copy paid a quarter by June."""
    data = yaml.safe_load(SEED_SAMPLE.read_text(encoding="utf-8"))
    data["project"]["report_date"] = None
    data["funds"].pop("plan", None)  # without a 用款计划 the earlier years give the rhythm
    current = _write(tmp_path / "2023" / "seed.yaml", data)
    old = yaml.safe_load(yaml.safe_dump(data).replace("2023-", "2022-").replace("2023年", "2022年"))
    old["project"]["year"] = 2022
    for i, pay in enumerate(old["funds"]["payments"]):
        pay["date"] = f"2022-{'06' if i == 0 else '11'}-10"
    _write(tmp_path / "2022" / "seed.yaml", old)
    return current


def test_earlier_years_give_the_projection_its_rhythm(tmp_path):
    current = _two_years(tmp_path)
    assert earlier_paths(current) == [tmp_path / "2022" / "seed.yaml"]
    data = yaml.safe_load(current.read_text(encoding="utf-8"))
    data["funds"]["payments"][0]["date"] = "2023-05-10"  # 18 000 by June this year
    _write(current, data)
    report = open_monitoring(current, 6)
    projection = report.result.execution.projection
    assert projection.method == "earlier_years" and projection.earlier_years == (2022,)
    assert "2022年" in html_to_text(report.text["execution"])


def test_seed_projects_its_contract_settlement():
    report = open_monitoring(SEED_SAMPLE, 7)
    projection = report.result.execution.projection
    assert (projection.method, projection.rate) == ("plan", 1.0)
    text = html_to_text(report.text["execution"])
    assert "8.62万元" in text and "12月年度结算" in text
    for key, fragment in report.text.items():
        assert not prose_problems(html_to_text(fragment), unit=report.loaded.project_year.project.unit), key


def test_user_text_is_escaped_and_lights_are_words(tmp_path):
    data = yaml.safe_load(SEED_SAMPLE.read_text(encoding="utf-8"))
    data["indicators"][0]["name"] = "<script>alert(1)</script>专线"
    data["indicators"][0]["progress"] = [{"month": 7, "value": "1项", "reason": "<b>未签</b>", "measure": "=1+1"}]
    report = open_monitoring(_write(tmp_path / "x.yaml", data), 7)
    table = report.table_html("indicators")
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "<b>" not in report.text["deviations"] and "&lt;b&gt;未签" in report.text["deviations"]
    # 1 of 5 by July is cumulative here: 1 / (5/12×7) = 34 points, red: the 完成值 cell on red's
    # ground with its word, and the prose names it
    assert '<td class="light light-red" title="红灯"' in table and table.count("light-red") == 1
    assert "（二）<script>alert(1)</script>专线" in html_to_text(report.text["deviations"])
    assert "1–7月累计完成1项，亮红灯" in html_to_text(report.text["deviations"])


def test_chart_draws_months_1_to_n_and_the_projection():
    report = open_monitoring(SEED_SAMPLE, 7)
    fig = report.figure()
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "1–7月累计预算执行率" in labels and "序时进度" in labels and any(l.startswith("全年预计") for l in labels)
    actual = next(line for line in ax.get_lines() if line.get_label() == "1–7月累计预算执行率")
    assert list(actual.get_xdata()) == list(range(1, 8))
    projected = next(line for line in ax.get_lines() if line.get_label().startswith("全年预计"))
    assert list(projected.get_xdata()) == list(range(7, 13)) and projected.get_linestyle() == "--"
    assert "7月" in ax.get_title() and "全年预算8.62万元" in ax.get_title()
    assert "全年预计（100%）" in labels  # the December settlement on plan, without trailing zeros


def test_build_takes_given_earlier_years():
    report = open_monitoring(SEED_SAMPLE, 7)
    again = MonitoringReport.build(report.loaded, 7, earlier=())
    assert again.result == report.result


def test_the_report_ends_with_the_units_signature_and_a_blank_date(tmp_path):
    """The 落款 is the unit and a date left for the unit to fill in, in HTML and in Word."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from selfeval_lib.render.docx import monitoring_document

    data = yaml.safe_load(SEED_SAMPLE.read_text(encoding="utf-8"))
    data["project"]["unit"] = "某县<应急>管理局"
    report = open_monitoring(_write(tmp_path / "x.yaml", data), 7)
    assert report.text["signature"] == ('<div class="signature"><p>某县&lt;应急&gt;管理局</p>'
                                        "<p>　　年　　月　　日</p></div>")
    doc = Document(io.BytesIO(monitoring_document(report)))
    texts = [p for p in doc.paragraphs if p.text.strip()]
    annex = next(i for i, p in enumerate(texts) if p.text == "附件")  # the 运行监控表 follows the 落款
    assert [p.text for p in texts[annex - 3:annex - 2]] == ["附件：项目支出绩效运行监控表"]
    last = texts[annex - 2:annex]
    assert [p.text for p in last] == ["某县<应急>管理局", "　　年　　月　　日"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in last)


def _expected_runs(statuses) -> dict[str, int]:
    """Each 一级指标 and each (一级, 二级) pair with its number of consecutive rows, counted here
    from the statuses, not from the renderer."""
    runs: dict[str, int] = {}
    for key in ([s.level1 for s in statuses], [f"{s.level1}/{s.level2}" for s in statuses]):
        for i, k in enumerate(key):
            if i == 0 or key[i - 1] != k:
                runs[k] = 1
            else:
                runs[k] += 1
    return runs


def test_indicator_table_merges_runs_of_level1_and_level2_in_html_and_word():
    """表2 shows 一级指标, and 二级指标 inside it, once per run, as the 自评表 does."""
    import io
    import re

    from docx import Document

    from selfeval_lib.render.docx import monitoring_document

    report = open_monitoring(SEED_SAMPLE, 7)
    runs = _expected_runs(report.result.indicators)
    assert runs["产出指标"] > 1 and runs["产出指标/数量指标"] > 1
    body = report.table_html("indicators").split("<tbody>")[1]
    for level1 in ("产出指标", "效益指标", "满意度指标"):
        span = runs[level1]
        cell = f'<td rowspan="{span}">{level1}</td>' if span > 1 else f"<td>{level1}</td>"
        assert body.count(f">{level1}</td>") == 1 and cell in body
    assert f'<td rowspan="{runs["产出指标/数量指标"]}">数量指标</td>' in body
    assert all(len(re.findall(r"<td", row)) <= 14 for row in body.split("<tr>")[1:])
    doc = Document(io.BytesIO(monitoring_document(report)))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    column = [row.cells[0]._tc for row in table.rows[1:]]
    assert len({id(tc) for tc in column}) == len({s.level1 for s in report.result.indicators})
    assert table.rows[1].cells[0].text == "产出指标"


def test_a_projection_short_of_the_target_is_not_called_achievable_as_is():
    """The unit wrote no 完成目标可能性 and the projection falls short: the report says what it takes
    (加快进度、落实纠偏措施) instead of a bare 有可能完成 beside a low projected rate."""
    aqpx = SEED_SAMPLE.with_name("dongqu-yjglj-aqpx.yaml")
    report = open_monitoring(aqpx, 5)
    execution = report.result.execution
    assert execution.explanation.achievable is None and execution.projection.rate < 1
    assert execution.likelihood == "有可能"
    text = html_to_text(report.text["execution"])
    assert "方有可能完成全年预算执行目标" in text and "我局有可能完成" not in text


@pytest.mark.parametrize("stem, phrase", [("dongqu-yjglj-aqpx", "方有可能完成全年预算执行目标"),
                                          ("dongqu-yjglj-ydhs", "确定能够完成全年预算执行目标")])
def test_the_execution_outlook_is_said_once(stem, phrase):
    """Whether the year's execution target can be met is said in 二 beside the projection, not again
    at the end of 四（一） (the same words twice on one page)."""
    report = open_monitoring(SEED_SAMPLE.with_name(f"{stem}.yaml"), 7)
    text = "\n".join(html_to_text(fragment) for fragment in report.text.values())
    assert text.count(phrase) == 1, text
    assert phrase in html_to_text(report.text["execution"])
    assert "（一）预算执行" in html_to_text(report.text["deviations"])  # 四 still explains the light
