"""The 复核意见 and the 复核底稿 from one result: heuristics marked in every output, problems
ranked by deduction, overrides recorded, warnings shown, same bytes for the same result."""

from __future__ import annotations

import io
import json

from requality_subjects import row, run

from selfeval_lib.render.requality_office import opinion_docx, workpaper_xlsx
from selfeval_lib.requality.opinion import HEURISTIC_MARK, opinion_of
from selfeval_lib.requality.overrides import Override
from selfeval_lib.render.requality_files import requality_json
from selfeval_lib.render.requality_html import requality_html


def result():
    return run(row(name="培训企业负责人人次", weight=20),
               row(name="果树种植面积", target="≥200亩", actual="210亩", weight=30),  # rule 2, heuristic
               row(level2="时效指标", name="培训及验收完成时间", target="6月底前完成培训、12月底前完成验收",
                   actual="验收延期至次年1月", weight=10),  # rule 7
               row(name="宣传活动场次", target="≥10场", actual="16场"),
               overrides=[Override(indicator="宣传活动场次", score=9, reason="一场未留签到表")],
               executed=60.0, self_total=100, self_grade="优")


def test_opinion_ranks_indicator_findings_and_marks_heuristics():
    o = opinion_of(result())
    sections = dict(o.sections)
    assert list(sections) == ["一、基本情况", "二、复核发现", "三、复核结论", "四、整改要求"]
    findings = sections["二、复核发现"]
    start = findings.index("（一）绩效指标")
    assert findings[start + 1].startswith("1．“果树种植面积”") and HEURISTIC_MARK in findings[start + 1]
    assert "培训及验收完成时间" in findings[start + 2] and HEURISTIC_MARK not in findings[start + 2]
    assert "口径第5条" in "".join(findings)
    assert any("黄色预警" in p for p in sections["三、复核结论"])
    assert "一场未留签到表" in "".join(findings) and "复核人改判" in "".join(sections["三、复核结论"])


def test_every_output_marks_heuristics_and_records_overrides():
    r = result()
    page = requality_html([r], "区级口径")
    assert HEURISTIC_MARK in page and "一场未留签到表" in page and 'class="heuristic' in page
    data = json.loads(requality_json([r], "district"))
    assert [i["heuristic"] for i in data["results"][0]["indicators"]] == [False, True, False, False]
    from docx import Document

    doc = Document(io.BytesIO(opinion_docx(r)))
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for rw in t.rows for c in rw.cells)
    assert HEURISTIC_MARK in text and "一场未留签到表" in text and doc.paragraphs[0].style.name == "Title"
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(workpaper_xlsx([r], "区级口径")))["底稿"]
    headings = [c.value for c in ws[1]]
    assert [ws.cell(n, headings.index("启发式") + 1).value for n in range(2, 6)] == [None, "是", None, None]
    assert ws.cell(5, headings.index("复核得分") + 1).value == 9  # an override is a value, not the formula
    assert ws.cell(5, headings.index("复核人改判") + 1).value == "一场未留签到表"


def test_outputs_are_deterministic():
    assert opinion_docx(result()) == opinion_docx(result())
    assert workpaper_xlsx([result()], "x") == workpaper_xlsx([result()], "x")
