"""The text-PDF reader: one grid (tests/forms/grids/national_shelter.yaml) printed on one page,
printed without rules, continued over pages with its two-row header repeated, and several tables in
one document, each read as the YAML transcription of the grid reads; and the PDFs that cannot be
used (encrypted, truncated, no table, tables that are not 自评表, not a PDF, a scan without OCR)."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT
from forms.grid import Grid, load_grid
from forms.pdf import page_html, scanned_pdf, text_pdf
from review_tables import content, findings

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import ocr, pdf_table
from selfeval_lib.review.readers.page_grid import page_blocks
from selfeval_lib.review.readers.page_text import Word
from selfeval_lib.review.readers.pdf_table import read_pdf
from selfeval_lib.review.readers.yaml_table import read_yaml_table
from selfeval_lib.review.service import review_reads

GRIDS = ROOT / "tests" / "forms" / "grids"


def grid() -> Grid:
    return load_grid(GRIDS / "national_shelter.yaml")


@pytest.fixture(scope="module")
def expected():
    return read_yaml_table(GRIDS / "national_shelter.table.yaml")


@pytest.mark.parametrize("form", ["one_page", "long"])
def test_pdf_reads_as_yaml(form, tmp_path, expected, national):
    path = text_pdf(grid(), tmp_path / "t.pdf", ruled=form != "unruled", long=form == "long")
    reads = read_pdf(path)
    assert len(reads) == 1
    assert content(reads[0]) == content(expected[0])
    assert findings(reads, national) == findings(expected, national)


def wrapped() -> Grid:
    """A table whose long indicator name and header cells wrap onto a second line."""
    return Grid(title="2023年度项目支出绩效自评表", rows=[
        ["项目名称", {"text": "社区应急宣传", "colspan": 6}],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        [{"text": "产出指标", "rowspan": 2}, {"text": "数量指标", "rowspan": 2},
         "发放社区居民应急避险知识宣传手册及避难场所使用指南", "≥5000份", "5200份", "45", "45"],
        ["宣传栏更新次数", "≥12次", "10次", "45", "45"],
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "93%", "10", "10"],
        [{"text": "总分", "colspan": 5}, "100", "100"],
    ])


@pytest.mark.parametrize("valign", ["top", "middle"])
def test_a_table_without_rules_keeps_wrapped_names_in_their_row(valign, tmp_path, national):
    """Printed without rules, each line of text is a row to pdfplumber: a name or header cell
    over two lines (the row's other cells beside its first line, or between its lines) is one row."""
    ruled = read_pdf(text_pdf(wrapped(), tmp_path / "ruled.pdf"))
    (read,) = read_pdf(text_pdf(wrapped(), tmp_path / "t.pdf", ruled=False, valign=valign))
    assert [i.name for i in read.table.indicators] == ["发放社区居民应急避险知识宣传手册及避难场所使用指南",
                                                       "宣传栏更新次数", "居民满意度"]
    def rows(r):
        return [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in r.table.indicators]

    assert rows(read) == rows(ruled[0]) and read.table.published_total == ruled[0].table.published_total
    assert findings([read], national) == findings(ruled, national)
    assert "SHORTFALL_FULL_MARKS" in {code for code, _, _ in findings([read], national)[0]}


def _line_cells(tops: list[float], size: float = 9.0) -> tuple[list, list[Word]]:
    """Cells as pdfplumber's text strategy finds them (one row per printed line, columns at x 0,
    100, 200) and a word in column 0 of every line, another in column 1 of the first line."""
    cells, words = [], []
    for top in tops:
        cells += [(0, top, 100, top + size), (100, top, 200, top + size)]
        words.append(Word(10, top, 10 + size, top + size, "名"))
    words.append(Word(110, tops[0], 110 + size, tops[0] + size, "值"))
    return cells, words


def test_lines_of_a_table_without_rules_grouped_by_their_gaps():
    # Lines 4 pt apart (a cell's text wrapped), rows 9 pt apart: two rows of two lines.
    cells, words = _line_cells([100, 113, 131, 144])
    (block,) = page_blocks(1, [cells], words, unruled=True)
    assert block.grid == [["名名", "值"], ["名名", None]] and block.notes == []


def test_lines_that_cannot_be_told_from_rows_are_said_so():
    cells, words = _line_cells([100, 113, 126, 139])  # every gap alike: no row can be told from a wrapped line
    (block,) = page_blocks(1, [cells], words, unruled=True)
    assert [row for row in block.grid if any(row)] == [["名", "值"], ["名", None], ["名", None], ["名", None]]
    assert any("无法区分单元格内的换行与新的一行" in n for n in block.notes)
    (ruled,) = page_blocks(1, [cells], words)  # ruled: the rules are the rows, nothing to say
    assert len([row for row in ruled.grid if any(row)]) == 4 and ruled.notes == []


def test_a_table_without_rules_that_cannot_be_read_is_refused_saying_why(tmp_path):
    """national_shelter printed without rules: its two-row header over split columns cannot be
    aligned from the text alone; the file is refused, not guessed, and the message says why."""
    with pytest.raises(InputError) as exc:
        read_pdf(text_pdf(grid(), tmp_path / "t.pdf", ruled=False))
    assert "表头缺少" in message(exc) and "没有表格线，按文字对齐识别" in message(exc)


def test_long_table_joined_over_pages(tmp_path):
    path = text_pdf(grid(), tmp_path / "long.pdf", long=True)
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        assert 2 <= pages <= 3
        assert "年度指标值" in pdf.pages[1].extract_text()  # the header repeated on the next page
    (read,) = read_pdf(path)
    assert read.table.sheet == f"第1–{pages}页"
    assert [i.name for i in read.table.indicators].count("三级指标") == 0
    assert len(read.table.indicators) == 11
    assert not any(re.search(r"第\s*\d+\s*页", i.name + i.target) for i in read.table.indicators)
    assert read.table.indicators[0].level1 == "产出指标"  # the level-1 cell cut by the page break


def test_a_total_row_alone_on_the_next_page_stays_with_its_table(tmp_path, national):
    """The 总分 row printed alone at the top of page 2: its cells have fewer column edges than the
    table's (one cell over six columns), and it is still the table's last row."""
    from forms.office import DRILL, DRILL_YAML, row_less

    from selfeval_lib.render.pdf import html_to_pdf

    page = page_html(load_grid(DRILL)).replace("<body>", '<body><div style="height:240pt"></div>', 1)
    at = page.rfind("<tr>")
    page = page[:at] + '<tr style="page-break-before:always">' + page[at + 4:]
    path = tmp_path / "t.pdf"
    path.write_bytes(html_to_pdf(page))
    with pdfplumber.open(path) as pdf:
        assert [t.extract() for t in pdf.pages[1].find_tables()] == [[["总分", "100", "91", "等级：优"]]]
    (read,) = read_pdf(path)
    assert read.table.sheet == "第1–2页" and read.table.published_total == "91" and read.table.published_grade == "优"
    assert not read.table.ends_open
    (review,) = review_reads([read], national)
    (expected,) = review_reads(read_yaml_table(DRILL_YAML), national)
    assert row_less(review) == row_less(expected)


def test_several_tables_in_one_document(tmp_path):
    second = grid()
    second.rows[0] = ["项目名称", {"text": "防汛物资储备", "colspan": 10}]
    path = text_pdf([grid(), second], tmp_path / "all.pdf")
    reads = read_pdf(path)
    assert [r.table.project.name for r in reads] == ["社区应急避难场所建设", "防汛物资储备"]
    assert [r.table.sheet for r in reads] == ["第1页", "第2页"]


def test_documented_errors_found(tmp_path, national):
    (read,) = read_pdf(text_pdf(grid(), tmp_path / "t.pdf"))
    found = findings([read], national)[0]
    names = {name for _, _, name in found}
    assert "培训社区居民" in names  # 520 of 600, full marks
    assert "验收合格率" in names  # actual blank, scored
    codes = {code for code, _, _ in found}
    assert any("TOTAL" in c for c in codes)


# --- files that cannot be used ---------------------------------------------------------------------

def message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(p.message for p in exc.value.problems)


def test_encrypted_pdf(tmp_path):
    import pypdf
    source = text_pdf(grid(), tmp_path / "t.pdf")
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(tmp_path / "enc.pdf")
    with pytest.raises(InputError) as exc:
        read_pdf(tmp_path / "enc.pdf")
    assert "PDF 已加密，请提供未加密的文件" in message(exc)
    assert exc.value.problems[0].file.endswith("enc.pdf")


def test_truncated_pdf(tmp_path):
    raw = text_pdf(grid(), tmp_path / "t.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(raw[: len(raw) // 3])
    with pytest.raises(InputError) as exc:
        read_pdf(tmp_path / "cut.pdf")
    assert re.search(r"损坏或不完整|未找到表格", message(exc))


def test_not_a_pdf(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"PK\x03\x04 not a pdf")
    with pytest.raises(InputError) as exc:
        read_pdf(tmp_path / "x.pdf")
    assert "不是 PDF 文件" in message(exc)


def test_pdf_without_table(tmp_path):
    g = Grid(rows=[["x"]], title="", notes=[])
    path = text_pdf(g, tmp_path / "t.pdf", ruled=False)
    with pytest.raises(InputError) as exc:
        read_pdf(path)
    assert "第1页未找到表格" in message(exc)


def test_tables_that_are_not_self_evaluation_tables(tmp_path):
    g = Grid(rows=[["序号", "单位", "金额"], ["1", "甲", "10"], ["2", "乙", "20"]])
    path = text_pdf([g, g], tmp_path / "t.pdf")  # short tables at the top of each page: not one table
    with pytest.raises(InputError) as exc:
        read_pdf(path)
    text = message(exc)
    assert "没有找到可识别的自评表" in text and "第1页的表格（没有含“三级指标”的表头行）" in text and "第2页" in text


def test_header_missing_columns_says_which(tmp_path):
    g = grid()
    g.rows[8] = [dict(c, text="分数") if isinstance(c, dict) and c.get("text") == "得分" else c for c in g.rows[8]]
    with pytest.raises(InputError) as exc:
        read_pdf(text_pdf(g, tmp_path / "t.pdf"))
    assert "表头缺少“得分”列" in message(exc)


def test_page_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_table, "MAX_PAGES", 1)
    path = text_pdf([grid(), grid()], tmp_path / "t.pdf")
    reads = read_pdf(path)
    assert len(reads) == 1 and "PDF 共2页，只读取了前1页。" in reads[0].notes


def test_scan_without_ocr_extra(tmp_path, monkeypatch):
    scan = scanned_pdf(text_pdf(grid(), tmp_path / "t.pdf"), tmp_path / "scan.pdf", dpi=60)

    def missing():
        raise ImportError("rapidocr_onnxruntime")

    monkeypatch.setattr(ocr, "engine", missing)
    with pytest.raises(InputError) as exc:
        read_pdf(scan)
    assert "文件第1页是扫描图像，需要 OCR：pip install 'selfeval[ocr]'" in message(exc)


def test_deterministic(tmp_path):
    path = text_pdf(grid(), tmp_path / "t.pdf", long=True)
    first, second = read_pdf(path), read_pdf(Path(path))
    assert [r.table.model_dump() for r in first] == [r.table.model_dump() for r in second]
    assert [r.notes for r in first] == [r.notes for r in second]
