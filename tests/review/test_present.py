"""The review's presentation: the HTML page (cells marked by severity, every table text escaped,
offline), the Excel workbook (fills, comments, same bytes) and the notebook's DataFrames."""

from __future__ import annotations

import copy
import html
import io
import re

import pytest
from openpyxl import load_workbook
from review_workbooks import DATA, NATIONAL, make_workbook

from selfeval_lib.render.review_html import review_html
from selfeval_lib.render.review_xlsx import review_xlsx
from selfeval_lib.review.present.frames import (
    execution_frame,
    findings_frame,
    published_frame,
    scores_frame,
    totals_frame,
)
from selfeval_lib.review.present.view import SEVERITY_FILL
from selfeval_lib.review.readers import read_tables
from selfeval_lib.review.service import review_reads


@pytest.fixture
def reviewed(tmp_path, national):
    data = copy.deepcopy(NATIONAL)
    data["project"]["name"] = "<script>alert('x')</script>避难场所"
    make_workbook(tmp_path / "r.xlsx", "national", data)
    reads = read_tables(tmp_path / "r.xlsx") + read_tables(DATA / "seed_like_table.yaml")
    return reads, review_reads(reads, national)


def test_review_html_marks_cells_and_escapes(reviewed):
    reads, reviews = reviewed
    page = review_html(reviews, [r.table for r in reads])
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<script>" not in page and "&lt;script&gt;alert(" in page
    heading = re.search(r"<h2>1\. (.*?)</h2>", page).group(1)
    assert html.unescape(heading).startswith("<script>alert('x')</script>避难场所") and "'" not in heading
    assert not re.search(r"(src|href)=\"https?:", page)  # offline
    # Row 13 (600余人, 520 → 8.67 printed 10): the published score cell is marked high with the messages.
    row13 = re.search(r"<tr><td class=\"num\">13</td>.*?</tr>|<tr><td>13</td>.*?</tr>", page)
    assert row13 and 'class="num sev-high"' in row13.group(0) and "SHORTFALL_FULL_MARKS" in row13.group(0)
    assert re.search(r'title="\[SCORE_MISMATCH\] [^"<>]*&#10;\[SHORTFALL_FULL_MARKS\] ', row13.group(0))  # one line each
    # The blank actual of row 14 is marked in the 实际完成值 column.
    row14 = re.search(r"<tr><td[^>]*>14</td>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td[^>]*>", row14)
    assert 'sev-high' in cells[4]  # 一级, 二级, 三级, 年度指标值, 实际完成值
    # Summary across both tables and the seed table's findings.
    assert page.count('<section id="table-') == 2
    assert "EXECUTION_RATE_MISMATCH" in page and "sev-medium" in page and "sev-low" in page
    assert html.escape("“维修管网长度”实际完成16公里未达到指标值≥20公里，却得满分。") in page


def test_review_html_without_tables(reviewed):
    _, reviews = reviewed
    page = review_html(reviews)
    assert "sev-high" in page and "<script>" not in page


def test_review_xlsx_fills_and_comments(reviewed, tmp_path):
    reads, reviews = reviewed
    tables = [r.table for r in reads]
    data = review_xlsx(reviews, tables)
    assert data == review_xlsx(reviews, tables)  # deterministic bytes
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "汇总"
    assert len(wb.sheetnames) == 3
    summary = wb["汇总"]
    assert summary["A2"].value.startswith("<script>")  # stored as text, Excel does not run it
    ws = wb[wb.sheetnames[1]]
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    r13 = rows[13]
    published = ws.cell(r13, 8)
    assert published.fill.fgColor.rgb.endswith(SEVERITY_FILL["high"])
    assert "SHORTFALL_FULL_MARKS" in published.comment.text
    assert ws.cell(r13, 9).value == pytest.approx(10 * 520 / 600, abs=1e-4)
    assert ws.cell(rows[17], 6).fill.fgColor.rgb.endswith(SEVERITY_FILL["medium"])  # 满意度 without survey basis
    seed = wb[wb.sheetnames[2]]
    values = [[c.value for c in row] for row in seed.iter_rows()]
    assert any(row[2] == "TOTAL_SUM_MISMATCH" for row in values if len(row) > 2)
    low = [c for row in seed.iter_rows() for c in row if c.fill.fgColor.rgb and c.fill.fgColor.rgb.endswith(SEVERITY_FILL["low"])]
    assert low  # LEVEL1_WEIGHTS_DIFFER


def test_notebook_frames(reviewed):
    reads, reviews = reviewed
    table, review = reads[1].table, reviews[1]
    assert list(published_frame(table)["三级指标"])[:2] == ["维修管网长度", "水质检测合格率"]
    exec_frame = execution_frame(review, table).set_index("项目")
    assert exec_frame.loc["执行率", "填报"] == "100%" and exec_frame.loc["执行率", "复核"] == "80%"
    scores = scores_frame(review, table)
    assert scores.iloc[-1]["复核得分"] == "87" and scores.iloc[-1]["填报得分"] == "99"
    assert "SHORTFALL_FULL_MARKS" in scores.iloc[1]["问题"]
    assert len(findings_frame(review)) == len(review.findings)
    assert totals_frame(review).set_index("项目").loc["等级", "复核"] == "良"
