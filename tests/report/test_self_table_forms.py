"""The official form of the report: the 附件 (自评表) in HTML, PDF and Word equals 自评表.xlsx,
the 落款, numbered figure captions, and the provenance kept out of the body (in metadata)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import nbformat
import pytest
from docx import Document
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.render.docx import report_document
from selfeval_lib.render.html import notebook_to_html
from selfeval_lib.render.xlsx import self_evaluation_workbook
from selfeval_lib.render.xlsx_layouts import report_self_table
from selfeval_lib.report.self_table import Cell, display, signature

HASH = "0123456789abcdef" * 4
PROVENANCE = {"参数文件": "p.yaml", "参数文件 SHA-256": HASH, "selfeval 版本": "9.9"}


def _html(ev: Evaluation) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 报告")])
    return notebook_to_html(nb, title="报告", provenance=PROVENANCE, evaluation=ev)


def _body(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.split("<body>", 1)[1])


def test_table_model_equals_workbook(evaluations: dict[str, Evaluation]) -> None:
    for ev in evaluations.values():
        ws = load_workbook(io.BytesIO(self_evaluation_workbook(ev))).active
        table = report_self_table(ev)
        for item, _, _ in table.spans().values():
            if not item.formula:
                value = ws.cell(item.row, item.col).value
                if isinstance(item.value, float):
                    assert value == pytest.approx(item.value, rel=1e-12), item
                else:
                    assert value == (item.value if item.value != "" else None), item
        assert table.last_row == ws.max_row


def test_html_has_annex_and_signature(evaluations: dict[str, Evaluation]) -> None:
    for ev in evaluations.values():
        html = _html(ev)
        body = _body(html)
        annex = body.split("附件：项目支出绩效自评表", 1)[1]
        unit, date = signature(ev)
        assert unit in annex and date in annex
        for s in ev.indicators:
            assert s.name in annex
        for (_, _), (cell, _, _) in report_self_table(ev).spans().items():
            assert display(cell).replace("\n", "") in annex.replace("&lt;", "<").replace("&amp;", "&")
        assert HASH not in body
        head = html.split("<body>", 1)[0]
        assert re.search(rf'<meta content="{HASH}" name="selfeval-params-sha256"/?>', head)
        assert html == _html(ev)


@pytest.mark.integration
def test_pdf_metadata_not_text(evaluations: dict[str, Evaluation]) -> None:
    from selfeval_lib.render.pdf import html_to_pdf

    ev = evaluations["dongqu-yjglj-ydhs"]
    pdf = html_to_pdf(_html(ev))
    assert pdf == html_to_pdf(_html(ev))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert HASH not in text and "项目支出绩效自评表" in text and ev.indicators[-1].name in text
    info = subprocess.run(["pdfinfo", "-custom", "-"], input=pdf, capture_output=True).stdout.decode()
    assert HASH in info


def test_docx_annex_signature_and_properties(evaluations: dict[str, Evaluation]) -> None:
    for ev in evaluations.values():
        data = report_document(ev, provenance=PROVENANCE)
        assert data == report_document(ev, provenance=PROVENANCE)
        doc = Document(io.BytesIO(data))
        texts = [p.text for p in doc.paragraphs]
        unit, date = signature(ev)
        assert unit in texts and date in texts and "附件" in texts
        captions = [t for t in texts if re.match(r"图\d+  ", t)]
        assert [c.split()[0] for c in captions] == [f"图{i}" for i in range(1, len(captions) + 1)] and captions
        annex = doc.tables[-1]
        cells = {c.text for row in annex.rows for c in row.cells}
        for s in ev.indicators:
            assert s.name in cells and display(Cell(0, 0, s.score, 0, 0, kind="score")) in cells
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        assert HASH not in xml
        assert HASH in doc.core_properties.comments


def test_docx_names_gbt9704_fonts(evaluations: dict[str, Evaluation]) -> None:
    data = report_document(evaluations["dongqu-yjglj-ydhs"])
    z = zipfile.ZipFile(io.BytesIO(data))
    styles, fonts = z.read("word/styles.xml").decode(), z.read("word/fontTable.xml").decode()
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{name}"' in styles and f'w:name="{name}"' in fonts
    assert '<w:altName w:val="仿宋"/><w:charset w:val="86"/>' in fonts


def _annex_pages(pdf: bytes) -> list[list[dict]]:
    """The words of each page from the 附件's label on."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [page.extract_words(keep_blank_chars=False, x_tolerance=1) for page in doc.pages]
    start = next(i for i, words in enumerate(pages) if any(w["text"] == "附件" for w in words[:3]))
    return pages[start:]


@pytest.mark.parametrize("stem", ["dongqu-yjglj-aqpx", "dongqu-yjglj-ydhs"])
def test_annex_numbers_fit_and_header_repeats(evaluations: dict[str, Evaluation], stem: str) -> None:
    """Every score of the 附件 prints as a word of its own (none runs into the next cell), and each
    page the indicator rows run onto starts with their header row."""
    from selfeval_lib.render.pdf import html_to_pdf

    ev = evaluations[stem]
    pages = _annex_pages(html_to_pdf(_html(ev)))
    words = [w["text"] for page in pages for w in page]
    scores = {display(Cell(0, 0, v, 0, 0, kind="score")) for s in ev.indicators for v in (s.weight, s.score)}
    scores |= {display(Cell(0, 0, v, 0, 0, kind="score")) for v in (float(ev.rules.total), ev.total)}
    for score in scores:
        assert score in words, (score, [w for w in words if score in w])
    assert not [w for w in words if re.fullmatch(r"\d+\.\d\d\d+\.\d\d", w)]  # "100.0080.33"
    first_name = ev.indicators[0].name[:4]
    with_rows = [page for page in pages if any(w["text"].startswith(tuple(s.name[:3] for s in ev.indicators))
                                               for w in page)]
    assert len(pages) >= 2 and with_rows, first_name
    for page in with_rows:
        header = min(w["top"] for w in page if w["text"].startswith("三级"))
        rows = [w["top"] for w in page if w["text"].startswith(tuple(s.name[:3] for s in ev.indicators))]
        assert header < min(rows)


def test_annex_columns_fit_their_numbers(evaluations: dict[str, Evaluation]) -> None:
    from selfeval_lib.render.xlsx_layouts import LAYOUTS
    from selfeval_lib.report import annex, typography

    for ev in evaluations.values():
        table = report_self_table(ev)
        size = typography.ANNEX_TABLE.size_pt
        widths = annex.widths_mm(table, LAYOUTS[table.layout].widths, size, 0.9)
        assert sum(widths) == pytest.approx(typography.text_area_mm()[0])
        for (_, col), (cell, _, colspan) in table.spans().items():
            if colspan == 1 and cell.kind != "text":
                assert widths[col - 1] >= typography.unbroken_mm(display(cell), size, 0.9) - 1e-9
        first, second = annex.parts(table)
        assert second[0] == table.indicator_header_row and first[1] == second[0] - 1


def test_docx_annex_header_repeats_and_total_kept(evaluations: dict[str, Evaluation]) -> None:
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for ev in evaluations.values():
        doc = Document(io.BytesIO(report_document(ev)))
        indicators = doc.tables[-1]
        assert indicators.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert "三级指标" in [c.text for c in indicators.rows[0].cells]
        total = next(i for i, row in enumerate(indicators.rows) if row.cells[0].text == "总分")
        assert all(p.paragraph_format.keep_with_next for c in indicators.rows[total - 1].cells for p in c.paragraphs)
        texts = [p.text for p in doc.paragraphs]
        note = texts.index("附件：项目支出绩效自评表")
        assert all(doc.paragraphs[i].paragraph_format.keep_with_next for i in range(note - 1, note + 2))
