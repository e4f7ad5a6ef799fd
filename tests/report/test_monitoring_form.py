"""The 运行监控表 (report/monitoring_form.py) and the report around it on the seed's June and July:
the contract settlement projected in full, the level indicator compared with its target, the
columns of the form units fill, 五、下一步工作 in the unit's voice, deterministic output."""

from __future__ import annotations

import io

import pytest
from conftest import MONTH7, SEED_SAMPLE

from selfeval_lib.render.notebook import open_monitoring
from selfeval_lib.render.tables_html import annex_html
from selfeval_lib.report.monitoring_form import CATEGORY_COLUMNS
from selfeval_lib.report.prose import html_to_text


@pytest.mark.parametrize("path", [SEED_SAMPLE, MONTH7], ids=["params", "monitored"])
@pytest.mark.parametrize("month", [6, 7])
def test_seed_projects_its_december_settlement_in_full(path, month):
    report = open_monitoring(path, month)
    e = report.result.execution
    assert (e.executed, e.planned) == (0, 0)  # nothing paid, nothing due before December
    head, rows = report.rows("execution")
    total = dict(zip(head, rows[0]))
    assert (total[f"1–{month}月执行数（万元）"], total["执行率"], total["全年预计执行数（万元）"]) == ("0.00", "0.00%", "8.62")
    assert total["完成目标可能性"] == "确定能" and "用款计划" in total["备注"]
    text = html_to_text(report.text["execution"])
    assert "全年预计执行8.62万元，预算执行率100%" in text and "执行进度符合用款计划" in text
    assert "0.00%" not in text and "按0元" not in text


def test_the_level_indicator_is_compared_with_its_target():
    """3 satellite phones in service, one under repair in July: 2 of 3, yellow; never 2 ÷ (3 × 7/12)."""
    june, july = (open_monitoring(MONTH7, n) for n in (6, 7))
    phones = {n: next(s for s in r.result.indicators if s.name == "卫星电话年服务部数") for n, r in ((6, june), (7, july))}
    assert (phones[6].accrual, phones[6].light, phones[6].progress) == ("时点", "green", pytest.approx(100))
    assert (phones[7].light, phones[7].progress) == ("yellow", pytest.approx(200 / 3))
    head, rows = july.rows("indicators")
    row = dict(zip(head, next(r for r in rows if r[2] == "卫星电话年服务部数")))
    assert (row["1–7月完成值"], row["全年预计完成值"], row["完成目标可能性"]) == ("2部", "3部", "有可能")
    assert row["硬件条件保障"] == "1部卫星电话送修" and row["纠偏措施"] == "督促服务商9月前修复或更换"
    assert '<td class="light light-yellow" title="黄灯"' in july.table_html("indicators")
    said = html_to_text(july.text["deviations"])
    assert "年度指标值为3部，7月末为2部，亮黄灯" in said and "硬件条件保障方面，1部卫星电话送修" in said
    assert "114" not in said


def test_the_forms_columns():
    report = open_monitoring(MONTH7, 7)
    assert report.rows("execution")[0] == ["项目", "年初预算数（万元）", "全年预算数（万元）", "1–7月执行数（万元）", "执行率",
                                          "全年预计执行数（万元）", "偏差原因", "完成目标可能性", "备注"]
    assert [r[0] for r in report.rows("execution")[1]] == ["年度资金总额", "其中：财政拨款", "其他资金"]
    assert report.rows("goal")[0] == ["年度总体目标", "1–7月完成情况"]
    assert report.rows("indicators")[0] == ["一级指标", "二级指标", "三级指标", "年度指标值", "1–7月完成值", "全年预计完成值",
                                           "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "完成目标可能性",
                                           "纠偏措施", "备注"]
    html = report.annex_html()
    assert '<th colspan="5">偏差原因</th>' in html and html.count("<table") == 4
    assert all(f"<th>{c}</th>" in html for c in CATEGORY_COLUMNS.values())
    likelihoods = {r[11] for r in report.rows("indicators")[1]} | {report.rows("execution")[1][0][7]}
    assert likelihoods <= {"确定能", "有可能", "完全不可能"}


def test_next_steps_are_what_the_unit_will_do():
    for path, month in ((MONTH7, 7), (SEED_SAMPLE, 7)):
        report = open_monitoring(path, month)
        steps = html_to_text(report.text["next_steps"])
        assert steps.startswith("下一步，我局将")
        assert "12月按合同完成年度结算和支付" in steps or "按用款计划于12月完成支付" in steps
        assert not any(word in steps for word in ("尽快启动", "建议", "应当", "须"))


def test_nothing_spent_and_no_plan_asks_once_and_keeps_the_units_voice(tmp_path):
    import yaml

    data = yaml.safe_load(SEED_SAMPLE.read_text(encoding="utf-8"))
    del data["funds"]["plan"]
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = open_monitoring(path, 7)
    text = html_to_text(report.text["execution"])
    assert text.count("【待补充") == 1 and "0.00%" not in text
    assert report.rows("execution")[1][0][5] == "—"
    assert "尽快启动" not in html_to_text(report.text["next_steps"])


def test_outputs_are_deterministic():
    from selfeval_lib.render.docx import monitoring_document

    first, second = open_monitoring(MONTH7, 7), open_monitoring(MONTH7, 7)
    assert annex_html(first.result, first.loaded.project_year) == second.annex_html()
    data = monitoring_document(first)
    assert data == monitoring_document(second)
    from docx import Document

    doc = Document(io.BytesIO(data))
    annex = doc.sections[-1]
    assert annex.page_width > annex.page_height  # the 运行监控表 on landscape pages, tables as wide as its text
    text_width = annex.page_width - annex.left_margin - annex.right_margin
    indicators = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    assert sum(c.width for c in indicators.columns) == pytest.approx(text_width, rel=0.01)
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["项目名称", "主管部门", "实施单位"] in heads and any(h[:1] == ["项目"] and "全年预计执行数（万元）" in h
                                                          for h in heads)


def test_goal_progress_without_the_units_summary_is_written_from_the_figures():
    """No summary for month N: 1–N月完成情况 says what was spent (as table 1 shows it), what each
    indicator reached, and how many still lack a value; never a tally of lights."""
    from selfeval_lib.core.model import ProjectYear
    from selfeval_lib.core.monitoring import monitor
    from selfeval_lib.inputs.params import load_project
    from selfeval_lib.report.monitoring_form import form_rows, goal_progress

    loaded = load_project(MONTH7)
    data = loaded.project_year.model_dump(mode="json")
    for note in data["funds"]["monitoring"]:
        note["summary"] = ""
    py = ProjectYear.model_validate(data)
    m = monitor(py, loaded.rules, 7)
    text = goal_progress(m)
    head, rows = form_rows(m, py, "indicators")
    values = {r[2]: r[4] for r in rows}
    assert "灯" not in text and "三级绩效指标" not in text, text
    assert text.startswith("截至7月末，项目尚未支出；")  # table 1: 0.00 spent
    for name, value in values.items():
        if value not in ("—", ""):
            assert f"{name}{value}" in text or f"{name}：{value}" in text, (name, text)
    assert text.endswith("其余1项绩效指标1–7月完成值待补充")  # 社会满意度, surveyed at the year's end

    slfh = load_project(SEED_SAMPLE.parent / "dongqu-yjglj-slfh.yaml")
    m = monitor(slfh.project_year, slfh.rules, 7)
    spent = form_rows(m, slfh.project_year, "execution")[1][0][3]
    text = goal_progress(m)
    assert text.startswith(f"截至7月末，项目累计支出{spent}万元，预算执行率") and "灯" not in text, text
    assert "“采购完成时间”已过完成期限，尚未完成" in text
