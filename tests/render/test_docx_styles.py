"""The Word report's typography on a bare document: East-Asian fonts on every style, the page."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING

from selfeval_lib.render import docx_styles as styles
from selfeval_lib.report import typography

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def document() -> bytes:
    doc = docx.Document()
    styles.configure_styles(doc)
    styles.page_setup(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_east_asian_fonts_on_styles(document: bytes) -> None:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(document)).read("word/styles.xml"))
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = defaults.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == styles.BODY_CJK and fonts.get(f"{W}ascii") == styles.LATIN
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert defaults.find(f"{W}sz").get(f"{W}val") == "32"  # 三号, in half-points
    expected = {"Normal": styles.BODY_CJK, "Heading1": styles.HEADING_CJK, "Heading2": styles.SUBHEADING_CJK,
                "Title": styles.TITLE_CJK, "Caption": styles.HEADING_CJK}
    by_id = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
    for style_id, east_asia in expected.items():
        rfonts = by_id[style_id].find(f"{W}rPr/{W}rFonts")
        assert rfonts is not None, style_id
        assert rfonts.get(f"{W}eastAsia") == east_asia, style_id
        assert rfonts.get(f"{W}ascii") == styles.LATIN, style_id
        assert not any(k.endswith("Theme") for k in rfonts.attrib), (style_id, dict(rfonts.attrib))
    body = next(s for s in by_id.values() if s.find(f"{W}name").get(f"{W}val") == styles.BODY_STYLE)
    assert body.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == styles.BODY_CJK
    assert by_id["Title"].find(f"{W}pPr/{W}pBdr") is None  # the template's border removed


def test_body_and_heading_styles(document: bytes) -> None:
    doc = docx.Document(io.BytesIO(document))
    body = doc.styles[styles.BODY_STYLE]
    assert body.paragraph_format.first_line_indent == styles.BODY_SIZE * 2 and body.font.size == styles.BODY_SIZE
    assert doc.styles[styles.TABLE_STYLE].font.size == styles.TABLE_SIZE
    assert doc.styles["Heading 1"].font.size == styles.H1_SIZE and not doc.styles["Heading 1"].font.bold
    assert doc.styles["Heading 2"].font.size == styles.H2_SIZE and not doc.styles["Heading 2"].font.bold
    assert doc.styles["Heading 1"].paragraph_format.keep_with_next


def test_page_setup_and_footer(document: bytes) -> None:
    section = docx.Document(io.BytesIO(document)).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(x.cm, 2) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [3.7, 3.5, 2.8, 2.6]
    assert round(styles.TEXT_WIDTH.cm, 2) == 15.6
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —"
    assert [t.text.strip() for t in footer._p.iter(f"{W}instrText")] == ["PAGE"]
    assert [f.get(f"{W}fldCharType") for f in footer._p.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    even = section.even_page_footer.paragraphs[0]
    assert even.text == "— 1 —" and docx.Document(io.BytesIO(document)).settings.odd_and_even_pages_header_footer
    assert (footer.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)  # outside edge
    assert footer.style.font.size.pt == typography.PAGE_NUMBER.size_pt == 14


def test_styles_read_the_typography(document: bytes) -> None:
    """The Word styles set the faces and sizes of report/typography.py, the ones the PDF uses."""
    doc = docx.Document(io.BytesIO(document))
    for style, role in (("Title", typography.TITLE), ("Heading 1", typography.HEADING1),
                        ("Heading 2", typography.HEADING2), (styles.BODY_STYLE, typography.BODY)):
        rfonts = doc.styles[style].element.find(f"{W}rPr/{W}rFonts")
        assert rfonts.get(f"{W}eastAsia") == role.face.word, style
        assert doc.styles[style].font.size.pt == role.size_pt, style
    body = doc.styles[styles.BODY_STYLE].paragraph_format
    assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY and body.line_spacing.pt == typography.LINE_PITCH_PT
    table = etree.fromstring(zipfile.ZipFile(io.BytesIO(document)).read("word/fontTable.xml"))
    named = {f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val") for f in table.iter(f"{W}font")
             if f.find(f"{W}altName") is not None}
    assert named["仿宋_GB2312"] == "仿宋" and named["方正小标宋简体"] == "宋体" and named["楷体_GB2312"] == "楷体"


def test_word_tables_are_written_in_one_pass(monkeypatch) -> None:
    """python-docx walks the whole table on each table.cell(), and scans every style on each
    paragraph.style = name: neither may happen once per cell (2,000 indicators took minutes)."""
    import dataclasses

    from docx.styles.styles import Styles
    from docx.table import Table

    from conftest import SEED_SAMPLE
    from selfeval_lib.core.evaluation import evaluate
    from selfeval_lib.inputs.params import load_project
    from selfeval_lib.render import docx as word

    loaded = load_project(SEED_SAMPLE)
    ev = evaluate(loaded.project_year, loaded.rules)
    ev = dataclasses.replace(ev, indicators=[dataclasses.replace(s, name=f"{s.name}{k}") for k in range(20)
                                             for s in ev.indicators])
    calls = {"cells": 0, "styles": 0}
    cells, style_id = Table._cells, Styles.get_style_id

    def counted_cells(self):
        calls["cells"] += 1
        return cells.fget(self)

    def counted_style_id(self, *args):
        calls["styles"] += 1
        return style_id(self, *args)

    monkeypatch.setattr(Table, "_cells", property(counted_cells))
    monkeypatch.setattr(Styles, "get_style_id", counted_style_id)
    word.report_document(ev, provenance={})
    rows = len(ev.indicators)
    assert calls["cells"] < rows / 4, calls  # not one walk of the table per cell or row
    assert calls["styles"] < rows, calls  # not one scan of the styles per cell
