"""The 通报 draft: its text carries the summary's counts and names, in an official notice's parts,
and the Word file is in the official-document form and byte-identical across runs."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt
from requality_units import fake_results

from selfeval_lib.requality.bulletin import (
    SIGNATURE,
    bulletin_document,
    bulletin_paragraphs,
)
from selfeval_lib.requality.summary import summarise


@pytest.fixture(scope="module")
def summary():
    results, planted = fake_results()
    return summarise(results, seed=2024), planted


def test_the_parts_of_a_notice(summary) -> None:
    s, _ = summary
    paragraphs = bulletin_paragraphs(s)
    kinds = [k for k, _ in paragraphs]
    assert kinds[:2] == ["title", "addressee"] and kinds[-2:] == ["signature", "signature"]
    assert paragraphs[0][1] == "关于2023年度项目支出绩效自评质量复核情况的通报"
    assert [t for k, t in paragraphs if k == "h1"] == ["一、基本情况", "二、发现的主要问题", "三、下一步要求"]
    assert [t for k, t in paragraphs if k == "signature"] == list(SIGNATURE)


def test_the_counts_and_the_named_units(summary) -> None:
    s, planted = summary
    text = "\n".join(t for _, t in bulletin_paragraphs(s))
    assert f"{s.departments} 个主管部门、{s.units} 个单位的 {s.results} 个项目" in text
    assert "6 个主管部门、30 个单位的 75 个项目" in text
    assert f"预算资金合计 {s.budget / 10_000:,.2f} 万元" in text
    assert f"{len(s.over_scoring)} 个单位的自评总分高于复核总分" in text
    assert f"抽取 {len(s.sample.selected)} 个项目" in text and "随机种子 2024" in text
    assert f"{len(s.grade_drops)} 个项目复核等级低于自评等级" in text
    assert f"发现雷同文本 {len(s.copies)} 处" in text and f"{len(s.indicator_sets)} 组不同单位的项目" in text
    assert f"{s.deducted} 个按复核口径扣分" in text and "佐证材料（规则 R01）35 个指标，占扣分指标的 100.0%" in text
    for unit in planted.all_hundred + planted.no_evidence:
        assert unit in text
    assert "自评流于形式" in text and "照搬照抄" in text


def test_a_summary_without_problems_says_so() -> None:
    s = summarise([], seed=1)
    text = "\n".join(t for _, t in bulletin_paragraphs(s))
    assert "未发现需要通报的共性问题" in text and "0 个单位的 0 个项目" in text


def test_the_word_file_is_an_official_document_and_deterministic(summary) -> None:
    s, _ = summary
    data = bulletin_document(s)
    assert data == bulletin_document(s)
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts == [t for _, t in bulletin_paragraphs(s)]
    body = doc.styles["Body Text"]
    assert body.font.size == Pt(16) and body.paragraph_format.line_spacing == Pt(30)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert doc.styles["Title"].font.size == Pt(22)
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[-1].text == SIGNATURE[1]
