"""The Word report: headings, prose, tables, charts, LibreOffice rendering, bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES
from docx.shared import Cm
from office_convert import convert, make_profile, pdf_fonts, pdf_text

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.files.ooxml import FIXED_TIME
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render import docx as word
from selfeval_lib.render import docx_styles as styles
from selfeval_lib.report.narrative import PARTS
from selfeval_lib.report.tables import indicators_table

IDS = [p.stem for p in SAMPLES]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Case:
    ev: Evaluation
    data: bytes

    @property
    def doc(self) -> docx.document.Document:
        return docx.Document(io.BytesIO(self.data))


@pytest.fixture(scope="session")
def cases() -> dict[str, Case]:
    out = {}
    for path in SAMPLES:
        loaded = load_project(path)
        ev = evaluate(loaded.project_year, loaded.rules)
        out[path.stem] = Case(ev, word.report_document(ev))
    return out


@pytest.fixture(scope="session")
def pdfs(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("docx")
    files = []
    for name, case in cases.items():
        files.append(root / f"{name}.docx")
        files[-1].write_bytes(case.data)
    converted = convert(files, "pdf", root / "pdf", make_profile(root / "profile"))
    return dict(zip(cases, converted))


@pytest.mark.parametrize("name", IDS)
def test_headings_and_outline(cases: dict[str, Case], name: str) -> None:
    doc = cases[name].doc
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == list(PARTS.values())
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h2[0] == "（一）项目基本情况" and "（三）相关建议" in h2 and len(h2) == 14
    for style in ("Heading 1", "Heading 2"):
        assert doc.styles[style].element.find(f"{W}pPr/{W}outlineLvl") is not None
    title = [p for p in doc.paragraphs if p.style.name == "Title"]
    p = cases[name].ev.project_year.project
    assert len(title) == 1 and f"{p.year}年度" in title[0].text
    assert any(x.style.name == "Subtitle" and p.name in x.text for x in doc.paragraphs)


@pytest.mark.parametrize("name", IDS)
def test_prose_lists_and_bold(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    doc = case.doc
    body = [p for p in doc.paragraphs if p.style.name == styles.BODY_STYLE]
    assert any(p.text.startswith("1.") for p in body) and any(p.text.startswith("2.") for p in body)
    assert any(p.text.startswith("（1）") for p in body)  # the items under 一（一）3.
    assert not any(p.text.startswith("1. ") for p in body)
    total = f"{fmt.score(case.ev.total, trim=True)}分"
    bold = [r.text for p in body for r in p.runs if r.bold]
    assert total in bold and f"“{case.ev.grade}”" in bold
    assert body[0].paragraph_format.first_line_indent is None  # inherited from the style
    assert doc.styles[styles.BODY_STYLE].paragraph_format.first_line_indent == styles.BODY_SIZE * 2


@pytest.mark.parametrize("name", IDS)
def test_real_tables(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    doc = case.doc
    assert len(doc.tables) == 5  # 表1–表3 and the 附件 (自评表: its head, its indicators); no vouchers
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert [c[:2] for c in captions if c.startswith("表")] == ["表1", "表2", "表3"]
    assert not any("凭证" in c for c in captions)
    assert [c[:2] for c in captions if c.startswith("图")] == ["图1", "图2"]
    assert captions[-1].startswith("项目支出绩效自评表")
    indicators = doc.tables[2]
    frame = indicators_table(case.ev)
    assert [c.text for c in indicators.rows[0].cells] == list(frame.columns)
    assert len(indicators.rows) == len(frame) + 1
    last = [c.text for c in indicators.rows[-1].cells]
    assert last[0] == "总分" and fmt.score(case.ev.total) in last
    assert indicators.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    above = indicators.rows[-2].cells  # the 总分 row is never alone on a page
    assert all(p.paragraph_format.keep_with_next for c in above for p in c.paragraphs)
    header = indicators.rows[0].cells[0].paragraphs[0]
    assert header.style.name == styles.TABLE_HEADER_STYLE and not any(r.bold for r in header.runs)
    assert indicators.rows[0]._tr.find(f".//{W}shd") is None  # no fill: black rules only
    # level-1 cells merged: a merged cell is the same cell object in consecutive rows
    level1 = [s.level1 for s in case.ev.indicators]
    first_group = level1.count(level1[0])
    if first_group > 1:
        assert indicators.cell(2, 0)._tc is indicators.cell(1 + first_group, 0)._tc
    widths = [c.width for c in indicators.rows[1].cells if c.width]
    assert abs(sum(w for w in {id(c._tc): c.width for c in indicators.rows[1].cells}.values()) - styles.TEXT_WIDTH) < Cm(0.1)
    assert min(widths) > Cm(1.0)


@pytest.mark.parametrize("name", IDS)
def test_two_charts(cases: dict[str, Case], name: str) -> None:
    doc = cases[name].doc
    shapes = doc.inline_shapes
    assert len(shapes) == 2
    assert all(abs(s.width - word.CHART_WIDTH) < 10 for s in shapes)
    media = [n for n in zipfile.ZipFile(io.BytesIO(cases[name].data)).namelist() if n.startswith("word/media/")]
    assert len(media) == 2 and all(n.endswith(".png") for n in media)
    assert all(s._inline.docPr.get("descr") for s in shapes)


@pytest.mark.integration
@pytest.mark.parametrize("name", IDS)
def test_pdf_rendering(cases: dict[str, Case], pdfs: dict[str, Path], name: str) -> None:
    text = pdf_text(pdfs[name])
    flat = "".join(text.split())  # pdftotext spaces CJK and Latin apart and wraps lines
    for heading in PARTS.values():
        assert heading in flat, heading
    assert f"自评总分{fmt.score(cases[name].ev.total, trim=True)}分" in flat
    assert "表3项目支出绩效自评表" in flat
    assert "\ufffd" not in text and "□" not in text
    assert "—1—" in flat  # the PAGE field
    fonts = pdf_fonts(pdfs[name])
    assert any("CJK" in font and embedded == "yes" for font, embedded in fonts), fonts
    assert all(embedded == "yes" for _, embedded in fonts), fonts


@pytest.mark.parametrize("name", IDS)
def test_deterministic(cases: dict[str, Case], name: str) -> None:
    assert word.report_document(cases[name].ev) == cases[name].data
    archive = zipfile.ZipFile(io.BytesIO(cases[name].data))
    assert all(info.date_time == FIXED_TIME for info in archive.infolist())
    assert "docProps/thumbnail.jpeg" not in archive.namelist()
    core = cases[name].doc.core_properties
    assert (core.author, core.last_modified_by, core.revision) == ("selfeval", "selfeval", 1)
    assert core.created is None and core.modified is None
    assert "python-docx" not in archive.read("docProps/core.xml").decode()


def test_provenance_in_core_properties(cases: dict[str, Case]) -> None:
    ev = cases[IDS[0]].ev
    data = word.report_document(ev, provenance={"参数文件": "x.yaml", "规则集 SHA-256": "abc<1>"})
    doc = docx.Document(io.BytesIO(data))
    assert len(doc.tables) == 5
    assert doc.core_properties.comments == "参数文件：x.yaml\n规则集 SHA-256：abc<1>"
    assert "abc&lt;1&gt;" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
