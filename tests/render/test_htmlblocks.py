"""The narrative's HTML as blocks of styled text for the Office writers."""

from __future__ import annotations

from selfeval_lib.render.htmlblocks import display_len, html_blocks, plain_text


def test_html_blocks() -> None:
    blocks = html_blocks(
        '<h2>一、概况</h2>\n<p class="x y">甲&amp;乙<strong>粗体</strong>，<em>斜</em>\n  续<br>新行</p>'
        "<ol>  <li>第一</li>  <li>第<b>二</b></li></ol><ul><li>无号</li></ul><p>  </p>")
    assert [b.kind for b in blocks] == ["h2", "p", "li", "li", "li"]
    p = blocks[1]
    assert p.classes == ("x", "y")
    assert [(r.text, r.bold, r.italic) for r in p.runs] == [
        ("甲&乙", False, False), ("粗体", True, False), ("，", False, False), ("斜", False, True),
        ("续\n新行", False, False)]  # spaces around a line break dropped
    assert [b.number for b in blocks[2:]] == [1, 2, None]
    assert blocks[3].runs[1].bold
    assert plain_text("<h3>标题</h3><ol><li>甲。</li><li>乙。</li></ol>") == "1. 甲。 2. 乙。"
    assert plain_text("<h3>标题</h3><p>甲。</p><p>乙。</p>") == "甲。乙。"


def test_display_len() -> None:
    assert display_len("") == 0
    assert display_len("ab1.") == 4
    assert display_len("项目（万元）") == 12  # CJK and full-width punctuation count 2
