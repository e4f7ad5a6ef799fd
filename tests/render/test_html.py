"""HTML export of a report notebook (executed for real in a local kernel)."""

from __future__ import annotations

import re

import nbformat
import pytest
from report_notebook import HEADINGS, PROVENANCE, TITLE, build_report_notebook, render_report_html

from selfeval_lib.render.html import clean_report_html, notebook_to_html


@pytest.fixture(scope="session")
def report_nb() -> nbformat.NotebookNode:
    return build_report_notebook()


@pytest.fixture(scope="session")
def report_html() -> str:
    return render_report_html()


@pytest.mark.integration
def test_notebook_really_has_the_tricky_outputs(report_nb: nbformat.NotebookNode) -> None:
    outputs = [o for c in report_nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any(o.output_type == "stream" and o.name == "stderr" for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert any("dataframe" in o.get("data", {}).get("text/html", "") for o in outputs)


@pytest.mark.integration
def test_document_shell(report_html: str) -> None:
    assert report_html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in report_html
    assert '<meta charset="utf-8"/>' in report_html or '<meta charset="utf-8">' in report_html
    title = "&lt;script&gt;alert(1)&lt;/script&gt;智慧校园建设项目绩效自评报告"
    assert f"<title>{title}</title>" in report_html
    css = report_html.split("</head>")[0]
    # the 公文 faces: the name Word/WPS users have first, the free face installed here before the generic family
    fangsong = re.search(r"--font-fangsong: ([^;]+);", css).group(1)
    assert fangsong.index('"仿宋_GB2312"') < fangsong.index('"FangSong"') < fangsong.index('"Noto Serif CJK SC"')
    assert fangsong.endswith(", serif")
    assert '"Noto Sans CJK SC"' in re.search(r"--font-hei: ([^;]+);", css).group(1)
    assert "@page" in css and "size: A4" in css and 'counter(page)' in css
    assert "page-break-inside: avoid" in css and "table-header-group" in css
    # no red bars, zebra rows or yellow boxes
    assert "nth-child(even)" not in css and "border-left: 4px" not in css and "#fff3cd" not in css


@pytest.mark.integration
def test_offline_and_script_free(report_html: str) -> None:
    assert not re.search(r"<script\b", report_html, re.IGNORECASE)
    assert not re.search(r"<link\b", report_html, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", report_html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", report_html, re.IGNORECASE)
    assert "require.js" not in report_html and "mathjax" not in report_html.lower()


@pytest.mark.integration
def test_no_inputs_prompts_or_stderr(report_html: str) -> None:
    for needle in ("configure_matplotlib", "display(", "import ", "In&nbsp;[", "Out[",
                   "jp-InputPrompt", "仅供调试", "FutureWarning", "UserWarning"):
        assert needle not in report_html, needle


@pytest.mark.integration
def test_user_text_is_escaped(report_html: str) -> None:
    assert "alert(1)" in report_html
    assert "<script>alert(1)</script>" not in report_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;智慧校园建设项目" in report_html


@pytest.mark.integration
def test_content_renders(report_html: str) -> None:
    for heading in HEADINGS:
        assert re.search(rf"<h2[^>]*>{heading}</h2>", report_html), heading
    assert re.search(r"<h1[^>]*>&lt;script&gt;", report_html)
    assert "直接经费说明" in report_html and "本报告由系统自动生成。" in report_html
    assert '<img alt="图表" src="data:image/png;base64,' in report_html
    assert '<table class="dataframe">' in report_html
    assert '<td class="num">118.2</td>' in report_html
    assert '<td class="num">98.50%</td>' in report_html
    assert "<style scoped" not in report_html  # pandas' own CSS is dropped
    assert '<p class="note">建议加强预算执行监控。</p>' in report_html


@pytest.mark.integration
def test_provenance_in_meta_not_body(report_html: str) -> None:
    head, body = report_html.split("<body>", 1)
    assert "sha256:0f3a&lt;b&gt;9c" in head and "sha256:0f3a" not in body
    assert 'rules/2023 &amp; "central"' in head or "rules/2023 &amp; &quot;central&quot;" in head
    assert 'content="0.1.0" name="selfeval-version"' in head
    keys = [head.index(k) for k in ("参数哈希", "selfeval-version", "评分规则")]
    assert keys == sorted(keys)


@pytest.mark.integration
def test_deterministic_and_reusable(report_nb: nbformat.NotebookNode, report_html: str) -> None:
    assert notebook_to_html(report_nb, title=TITLE, provenance=PROVENANCE) == report_html
    other = notebook_to_html(report_nb, title="另一个项目", provenance={"k": "v"})
    assert "<title>另一个项目</title>" in other and "参数哈希" not in other
    assert notebook_to_html(report_nb, title=TITLE, provenance=PROVENANCE) == report_html


@pytest.mark.integration
def test_the_exporter_is_set_up_once(report_nb: nbformat.NotebookNode) -> None:
    """After the first export the nbconvert exporter (its template compiled) is reused: what
    makes later exports fast, checked without a clock."""
    from selfeval_lib.render.html import report_exporter

    notebook_to_html(report_nb, title="t", provenance={})
    made = report_exporter.cache_info().misses
    for _ in range(3):
        notebook_to_html(report_nb, title="t", provenance={})
    assert report_exporter.cache_info().misses == made and report_exporter.cache_info().hits >= 3


@pytest.mark.parametrize(
    ("fragment", "expected", "absent"),
    [
        ('<img src="http://x/y.png" alt="a">', '<img alt="a">', "http://"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript:"),
        ('<p onclick="alert(1)">x</p>', "<p>x</p>", "onclick"),
        ('<table><tr><td style="background: url(//x/y); text-align: left">1</td></tr></table>',
         '<td style="text-align: left;"', "url("),
        ("<iframe src='//x'></iframe>", "&lt;iframe", "<iframe"),
    ],
)
def test_clean_report_html(fragment: str, expected: str, absent: str) -> None:
    out = clean_report_html(fragment)
    assert expected in out and absent not in out
