"""The web-page reader: a 自评表 saved inside a unit's page (navigation, layout tables, footer)
in UTF-8 or GBK gives the same review as its YAML transcription; charsets, continued tables,
pages without a 自评表."""

from __future__ import annotations

import copy
import re

import pytest
from forms.grid import load_grid, to_html
from forms.office import DRILL, DRILL_YAML, built, row_less

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import read_tables
from selfeval_lib.review.readers.html_table import decode_page
from selfeval_lib.review.service import review_reads


def _review(path, rules):
    (review,) = review_reads(read_tables(path), rules)
    return review


@pytest.mark.parametrize("form", ["html", "gbk.html"])
def test_page_gives_the_findings_of_its_yaml(form, national):
    page, expected = _review(built(str(DRILL), form), national), _review(DRILL_YAML, national)
    assert row_less(page) == row_less(expected)
    assert page.recomputed_total == pytest.approx(expected.recomputed_total)
    assert ("SCORE_MISMATCH", "得分", "培训社区居民") in row_less(page)
    table = page.table
    assert table.project.name == "社区应急避难场所建设" and table.project.year == 2023
    assert table.indicators[1].level1 == "产出指标"  # rowspan spread, "（50分）" dropped
    assert table.indicators[4].deviation_reason == "两处场所标识未完善，\n次年补齐"  # <br> kept as a line break
    assert table.funds.rate == "90%" and table.funds.amount_unit == "万元"


def test_only_the_table_becomes_a_table_read(national):
    """The navigation table, the layout table around the 自评表 and the footer are not tables read."""
    reads = read_tables(built(str(DRILL), "html"))
    assert len(reads) == 1
    assert reads[0].table.sheet == "第3个表格"  # nav (1), layout (2), the 自评表 nested in it (3)


@pytest.mark.parametrize("declared, encoding", [("gb2312", "gbk"), ("GBK", "gb18030"), ("x-gbk", "gbk")])
def test_gb_names_decode_as_gb18030(declared, encoding):
    text = "项目名称：㐀 砼 镕"  # 㐀 is outside GB2312 and GBK: only GB18030 has it
    raw = f'<html><head><meta charset="{declared}"></head><body>{text}</body></html>'.encode("gb18030")
    decoded, used = decode_page(raw, "p.html")
    assert used == "gb18030" and text in decoded


def test_charset_by_bom_then_guess():
    assert decode_page("\ufeff<p>绩效</p>".encode("utf-8"), "p")[1] == "utf-8"
    assert decode_page("<p>绩效</p>".encode("utf-16-le").join([b"\xff\xfe", b""]), "p") == ("<p>绩效</p>", "utf-16-le")
    assert decode_page("<p>绩效自评</p>".encode("gbk"), "p") == ("<p>绩效自评</p>", "gb18030")  # no charset, not UTF-8
    # a page declaring UTF-8 that is really GBK (a common server error) is still read
    assert decode_page('<meta charset="utf-8"><p>绩效自评</p>'.encode("gbk"), "p")[0].endswith("<p>绩效自评</p>")


def test_table_continued_in_a_second_table_is_joined(tmp_path, national):
    """A table printed as two: the second (效益 and 满意度 rows, 总分) has no header of its own."""
    grid = load_grid(DRILL)
    first, rest = copy.deepcopy(grid), copy.deepcopy(grid)
    first.rows = grid.rows[:14]
    first.rows[9][0] = {"text": "绩效指标", "rowspan": 5}
    first.notes, rest.title = [], ""
    rest.rows = [[""] + grid.rows[14], [""] + grid.rows[15], grid.rows[16]]
    body = lambda g: re.search(r"<table.*</table>", to_html(g), re.DOTALL).group(0)
    path = tmp_path / "split.html"
    path.write_text(f"<html><body>{body(first)}<p>（续表）</p>{body(rest)}</body></html>", encoding="utf-8")
    (read,) = read_tables(path)
    assert [i.name for i in read.table.indicators][-2:] == ["应急避险能力", "居民满意度"]
    assert len(read.table.indicators) == 6 and read.table.published_total == "91"
    assert any("第2个表格没有表头，接续第1个表格的指标行" in note for note in read.notes)
    (expected,) = review_reads(read_tables(DRILL_YAML), national)
    (joined,) = review_reads([read], national)
    assert row_less(joined) == row_less(expected)


def test_five_unrelated_tables_each_with_its_reason(tmp_path):
    tables = ["<table><tr><td>首页</td><td>新闻</td></tr></table>",
              "<table><tr><td>序号</td><td>文件名称</td><td>发布日期</td></tr><tr><td>1</td><td>通知</td><td>2024-01-02</td></tr></table>",
              "<table><tr><td>三级指标</td><td>指标值</td></tr><tr><td>培训人数</td><td>100</td></tr></table>",
              "<table><tr><td>联系电话</td><td>0000-0000</td></tr></table>",
              "<table></table>"]
    path = tmp_path / "page.html"
    path.write_text("<!DOCTYPE html><html><body>" + "".join(tables) + "</body></html>", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_tables(path)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert problem.message.startswith("第1–5个表格均不是自评表：")
    assert "第3个表格：表头缺少“实际完成值（或完成值）”" in problem.message
    assert problem.message.count("没有含“三级指标”的表头行") == 4
    assert "每张自评表应有含“三级指标”" in problem.message


def test_page_without_tables(tmp_path):
    path = tmp_path / "news.htm"
    path.write_text("<html><body><p>通知公告</p></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_tables(path)
    assert "网页中没有表格" in str(info.value) and "news.htm" in str(info.value)


def test_cell_text_is_data(tmp_path):
    """Markup, scripts and comments in a cell are not cell text; entities are decoded once."""
    page = to_html(load_grid(DRILL)).replace(
        "<td>新建避难场所</td>", "<td><script>alert(1)</script>新建<!-- x -->&lt;b&gt;避难场所</td>")
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    (read,) = read_tables(path)
    assert read.table.indicators[0].name == "新建<b>避难场所"


def test_forbidden_character_in_a_cell_is_refused(tmp_path):
    page = to_html(load_grid(DRILL)).replace("<td>新建避难场所</td>", "<td>新建\ufffe避难场所</td>")
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_tables(path)
    (problem,) = info.value.problems
    assert problem.field == "第1个表格!D11" and "不允许的字符 U+FFFE" in problem.message
