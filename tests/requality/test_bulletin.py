"""The 通报 as a bureau issues it, read as a program reads it: the 文号 line, the title, 总体情况,
主要问题 with named cases, 下一步要求 with a deadline, the 落款 (bureau and date, or lines to fill)
kept with the text, the annex table of results; counts in Chinese style; no path, formula,
Latin-letter word or method name in the Word file or the page; the same bytes each time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt
from requality_units import fake_results

from selfeval_lib.render.requality_html import bulletin_html
from selfeval_lib.render.requality_office import bulletin_docx
from selfeval_lib.requality.bulletin import (
    ANNEX_HEADINGS,
    BLANK_BUREAU,
    BLANK_NUMBER,
    bulletin_of,
)
from selfeval_lib.requality.kouqing import load_kouqing
from selfeval_lib.requality.model import Issuance
from selfeval_lib.requality.opinion import BLANK_DATE
from selfeval_lib.requality.service import requality_file
from selfeval_lib.requality.summary_data import summarise

from conftest import ROOT

ISSUED = Issuance(bureau="攀枝花市东区财政局", date=dt.date(2024, 4, 1), number="东财绩〔2024〕5号")
#: What must never appear in a document the bureau signs.
FORBIDDEN = re.compile(r"[A-Za-z]|\.ya?ml|/|\\|max\(|=|Jaccard|MinHash|种子|\.0%|\d \u4e2a")


@pytest.fixture(scope="module")
def summary():
    results, planted = fake_results()
    return summarise(results, seed=2024), results, planted


@pytest.fixture(scope="module")
def samples():
    kouqing = load_kouqing("district")
    results = [r for path in sorted((ROOT / "params" / "2023").glob("*.yaml")) for r in requality_file(path, kouqing)]
    return summarise(results, seed=0), results


def _docx(data: bytes) -> tuple[list[str], list[list[str]], docx.document.Document]:
    doc = docx.Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs], [[c.text for c in row.cells] for t in doc.tables for row in t.rows], doc


def _html_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "\n", re.sub(r"<style>.*?</style>|<title>.*?</title>", "", html, flags=re.S))


def test_the_parts_of_a_notice(summary) -> None:
    s, _, _ = summary
    b = bulletin_of(s, ISSUED)
    assert b.number == "东财绩〔2024〕5号"
    assert b.title == "关于2023年度项目支出绩效自评质量复核情况的通报"
    assert [h for h, _ in b.sections] == ["一、总体情况", "二、主要问题", "三、下一步要求"]
    assert b.signature == ("攀枝花市东区财政局", "2024年4月1日")
    requirements = dict(b.sections)["三、下一步要求"]
    assert any("于2024年5月1日前将整改情况书面报送我局" in p for p in requirements)
    problems = dict(b.sections)["二、主要问题"]
    assert problems[0] == "（一）自评得分偏高。" and all(p.startswith("（") for p in problems[::2])


def test_blank_lines_to_fill_without_bureau_date_or_number(summary) -> None:
    b = bulletin_of(summary[0])
    assert (b.number, b.signature) == (BLANK_NUMBER, (BLANK_BUREAU, BLANK_DATE))
    assert any("逐项整改，自本通报印发之日起30日内将整改情况" in p for p in dict(b.sections)["三、下一步要求"])
    assert not any(re.search("于自(收到|本通报)", p) for _, ps in b.sections for p in ps)


def test_counts_are_written_as_chinese_writes_them(summary) -> None:
    s, _, planted = summary
    b = bulletin_of(s, ISSUED)
    text = "\n".join(p for _, ps in b.sections for p in ps)
    assert f"{s.departments}个主管部门、{s.units}个单位的{s.results}个项目" in text
    assert "6个主管部门、30个单位的75个项目" in text
    assert f"{len(s.over_scoring)}个单位的自评总分高于复核总分" in text
    assert f"{s.deducted}个按复核口径扣分" in text and "按口径第1条（佐证材料）扣分的35个，占100%" in text
    assert f"抽取{len(s.sample.selected)}个项目开展重点抽查" in text
    for unit in planted.all_hundred + planted.no_evidence[:1]:
        assert unit in text
    assert "自评流于形式" in text and "照搬照抄" in text
    assert not re.search(r"\d \u4e2a|\.0%|种子|加权|随机", text)


def test_the_annex_lists_every_result_with_its_scores_and_grades(summary) -> None:
    s, results, _ = summary
    b = bulletin_of(s, ISSUED)
    assert len(b.annex_rows) == len(results)
    by_project = {(r.unit, r.project): r for r in results}
    for row in b.annex_rows:
        r = by_project[(row[1], row[2])]
        assert float(row[3]) == pytest.approx(r.self_total, abs=0.005)
        assert float(row[4]) == pytest.approx(r.requality_total, abs=0.005)
        assert row[5:] == (r.self_grade, r.requality_grade)


def test_the_word_file_is_a_notice_with_its_annex_and_the_same_bytes(summary) -> None:
    s, results, _ = summary
    data = bulletin_docx(s, ISSUED)
    assert data == bulletin_docx(s, ISSUED)
    paragraphs, cells, doc = _docx(data)
    b = bulletin_of(s, ISSUED)
    assert paragraphs[:3] == [b.number, b.title, b.addressee]
    signed = paragraphs.index("攀枝花市东区财政局")
    assert paragraphs[signed + 1] == "2024年4月1日" and paragraphs[signed - 1] == b.annex_note
    # the 落款 is kept with the text before it, and the annex starts a page of its own
    for p in doc.paragraphs[signed - 2:signed + 1]:
        assert p.paragraph_format.keep_with_next
    assert 'w:type="page"' in doc.paragraphs[signed + 1]._p.xml
    assert paragraphs[signed + 2:signed + 4] == ["附件", b.annex_title]
    assert cells[0] == list(ANNEX_HEADINGS) and len(cells) == len(results) + 1
    body = doc.styles["Body Text"]
    # the report's 公文 typography (三号 at the 22-lines-a-page pitch), not sizes of its own
    assert body.font.size == Pt(16) and body.paragraph_format.line_spacing == Pt(28.95)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert doc.styles["Title"].font.size == Pt(22)


@pytest.mark.parametrize("issued", [ISSUED, Issuance()], ids=["issued", "blank"])
def test_no_path_formula_latin_word_or_method_name_in_the_notice(summary, samples, issued) -> None:
    for s in (summary[0], samples[0]):
        paragraphs, cells, _ = _docx(bulletin_docx(s, issued))
        words = "\n".join(paragraphs + [c for row in cells for c in row])
        assert not FORBIDDEN.search(words), FORBIDDEN.findall(words)[:5]
        page = _html_text(bulletin_html(s, issued))
        assert not FORBIDDEN.search(page), FORBIDDEN.findall(page)[:5]
        for p in paragraphs[1:]:
            assert p in page


def test_on_the_samples_the_real_findings_and_the_evidence_case_are_told(samples) -> None:
    s, results = samples
    text = "\n".join(p for _, ps in bulletin_of(s, ISSUED).sections for p in ps)
    assert "支付审批手续不全" in text and "支出集中在年末" in text and "自评结论与实际数据不符" in text
    assert f"{len(results)}个项目未随自评资料报送佐证材料" in text and "未因此扣分" in text
    assert "按期补报佐证材料" in text
    # the 复核 scores on the samples are what the other rules justify, not collapsed for want of evidence
    assert s.requality_mean is not None and s.requality_mean > 60


def test_unit_text_is_escaped_on_the_page(summary) -> None:
    _, results, _ = summary
    hostile = [dataclasses.replace(results[0], unit="<script>alert(1)</script>局"), *results[1:4]]
    html = bulletin_html(summarise(hostile, seed=1), ISSUED)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;局" in html


def test_a_summary_without_problems_says_so() -> None:
    b = bulletin_of(summarise([], seed=1))
    assert dict(b.sections)["二、主要问题"] == ("本次复核未发现需要通报的共性问题。",)
    assert "0个单位的0个项目" in dict(b.sections)["一、总体情况"][0] and b.annex_rows == ()
