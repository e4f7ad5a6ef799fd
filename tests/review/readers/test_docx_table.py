"""The Word reader: a 自评表 in a .docx (merged cells, paragraphs in a cell, a table nested in a
layout table, a table continued in a second table) gives the same review as its YAML
transcription; Word files that cannot be used."""

from __future__ import annotations

import pytest
from forms.grid import load_grid
from forms.office import DRILL, DRILL_YAML, built, copy_to, row_less, to_docx

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import read_tables
from selfeval_lib.review.service import review_reads


def _review(path, rules):
    (review,) = review_reads(read_tables(path), rules)
    return review


def test_docx_gives_the_findings_of_its_yaml(national):
    word, expected = _review(built(str(DRILL), "docx"), national), _review(DRILL_YAML, national)
    assert row_less(word) == row_less(expected)
    assert word.recomputed_total == pytest.approx(expected.recomputed_total)
    table = word.table
    assert table.sheet == "第1个表格"
    assert [i.level1 for i in table.indicators] == ["产出指标"] * 4 + ["效益指标", "满意度指标"]  # vMerge spread
    assert [i.level2 for i in table.indicators][:2] == ["数量指标", "数量指标"]
    assert table.indicators[4].deviation_reason == "两处场所标识未完善，\n次年补齐"  # two paragraphs
    assert table.project.department == "某区应急管理局" and table.project.unit == "某区应急服务中心"  # gridSpan
    assert table.funds.budget_full_year == "110" and table.published_grade == "优"


def test_table_nested_in_a_layout_table(tmp_path, national):
    import docx

    source = docx.Document(str(built(str(DRILL), "docx")))
    inner = source.tables[0]._tbl
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "附件1"
    cell._tc.append(inner)  # the 自评表 inside the one cell of a layout table
    cell.add_paragraph("")  # a cell ends with a paragraph
    document.save(tmp_path / "nested.docx")
    (read,) = read_tables(tmp_path / "nested.docx")
    assert read.table.sheet == "第2个表格"
    (review,) = review_reads([read], national)
    assert row_less(review) == row_less(_review(DRILL_YAML, national))


def test_two_tables_of_one_file_each_read(tmp_path):
    import docx

    document = docx.Document(str(built(str(DRILL), "docx")))
    document.add_page_break()
    document.element.body.append(__import__("copy").deepcopy(document.tables[0]._tbl))
    document.save(tmp_path / "two.docx")
    reads = read_tables(tmp_path / "two.docx")
    assert [r.table.sheet for r in reads] == ["第1个表格", "第2个表格"]


@pytest.mark.parametrize("repeat_label", ["绩效指标", ""])
def test_table_continued_with_its_header_repeated_keeps_its_total_row(repeat_label, tmp_path, national):
    """A 自评表 printed as two Word tables: the second, at the top of page 2, repeats the indicator
    header and holds the last rows and the 总分 row; the 绩效指标 cell repeated or left blank."""
    import copy

    import docx

    grid = load_grid(DRILL)
    first, rest = copy.deepcopy(grid), copy.deepcopy(grid)
    first.rows = grid.rows[:14]
    first.rows[9][0] = {"text": "绩效指标", "rowspan": 5}
    first.notes = []
    rest.title = ""
    header = [repeat_label if i == 0 else cell for i, cell in enumerate(grid.rows[9])]
    header[0] = {"text": repeat_label, "rowspan": 3}
    rest.rows = [header, grid.rows[14], grid.rows[15], grid.rows[16]]
    document = docx.Document(str(to_docx(first, tmp_path / "first.docx")))
    document.add_page_break()
    second = docx.Document(str(to_docx(rest, tmp_path / "rest.docx")))
    for element in list(second.element.body):
        if element.tag.endswith("}tbl") or element.tag.endswith("}p") and element.xpath("string(.)"):
            document.element.body.append(element)
    document.save(tmp_path / "split.docx")
    (read,) = read_tables(tmp_path / "split.docx")
    assert [i.name for i in read.table.indicators][-2:] == ["应急避险能力", "居民满意度"]
    assert len(read.table.indicators) == 6 and read.table.published_total == "91" and read.table.published_grade == "优"
    assert any("第2个表格重复了第1个表格的表头" in note for note in read.notes)
    (joined,) = review_reads([read], national)
    assert row_less(joined) == row_less(_review(DRILL_YAML, national))


def test_a_second_table_of_only_the_total_row_closes_the_first(tmp_path, national):
    """Word's second table holds only the 总分 row (the page broke just before it): it is the
    table's last row, not a table of its own, and the table is not said to be incomplete."""
    import copy

    import docx

    grid = load_grid(DRILL)
    first, rest = copy.deepcopy(grid), copy.deepcopy(grid)
    first.rows, first.notes = grid.rows[:16], []
    rest.title, rest.rows = "", [grid.rows[16]]
    document = docx.Document(str(to_docx(first, tmp_path / "first.docx")))
    document.add_page_break()
    second = docx.Document(str(to_docx(rest, tmp_path / "rest.docx")))
    document.element.body.append(second.tables[0]._tbl)
    document.save(tmp_path / "split.docx")
    (read,) = read_tables(tmp_path / "split.docx")
    assert read.table.published_total == "91" and read.table.published_grade == "优" and not read.table.ends_open
    (joined,) = review_reads([read], national)
    assert row_less(joined) == row_less(_review(DRILL_YAML, national))


def test_table_without_a_recognisable_header(tmp_path):
    grid = load_grid(DRILL)
    grid.rows[9] = [{"text": "绩效指标", "rowspan": 7}, "一级", "二级", "指标名称", "目标", "完成", "分", "评分", "说明"]
    with pytest.raises(InputError) as info:
        read_tables(to_docx(grid, tmp_path / "bad.docx"))
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path / "bad.docx") and problem.field == "第1个表格"
    assert "没有含“三级指标”的表头行" in problem.message
    assert "每张自评表应有含“三级指标”“年度指标值（或指标值）”“实际完成值（或完成值）”“分值（或权重）”“得分”的表头行" in problem.message


def test_word_file_without_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("2023年度部门整体支出绩效自评报告")
    document.save(tmp_path / "report.docx")
    with pytest.raises(InputError) as info:
        read_tables(tmp_path / "report.docx")
    assert "Word 文件中没有表格" in str(info.value)


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_docx(tmp_path, keep):
    raw = built(str(DRILL), "docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(raw[: int(len(raw) * keep)])
    with pytest.raises(InputError) as info:
        read_tables(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and "损坏或不完整" in problem.message


def test_damaged_part_inside_a_whole_zip(tmp_path):
    import zipfile

    src = zipfile.ZipFile(built(str(DRILL), "docx"))
    with zipfile.ZipFile(tmp_path / "broken.docx", "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(InputError) as info:
        read_tables(tmp_path / "broken.docx")
    assert "无法读取 Word 文件" in str(info.value)


def test_docx_named_xlsx_is_read_as_word(tmp_path):
    path = copy_to(built(str(DRILL), "docx"), tmp_path / "table.xlsx")
    (read,) = read_tables(path)
    assert read.notes[0] == "文件内容是Word 文档（.docx），虽然文件名是“.xlsx”：按Word 文档（.docx）读取。"
