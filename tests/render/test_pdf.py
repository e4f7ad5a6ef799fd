"""PDF rendering with WeasyPrint, checked with poppler-utils (must be installed), and the choice of
engine (the browser engine's own tests: test_pdf_browser.py)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import report_notebook as case  # the executed test report notebook

from conftest import ROOT, SEED_SAMPLE
from selfeval_lib.render.pdf import html_to_pdf, parse_pdf_engine, resolve_engine


def _poppler(tool: str, *args: str) -> str:
    # No skip: poppler-utils is in system-packages.txt; a missing tool must fail.
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def report_html() -> str:
    return case.render_report_html()


@pytest.fixture(scope="session")
def report_pdf(report_html: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(html_to_pdf(report_html))
    return path


@pytest.mark.integration
def test_is_a4_pdf(report_pdf: Path) -> None:
    assert report_pdf.read_bytes().startswith(b"%PDF-")
    info = _poppler("pdfinfo", str(report_pdf))
    assert "(A4)" in info
    assert "Title:" in info and "alert(1)" in info


@pytest.mark.integration
def test_cjk_font_embedded(report_pdf: Path) -> None:
    rows = _poppler("pdffonts", str(report_pdf)).splitlines()[2:]
    fonts = [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]
    assert fonts, "no fonts in PDF"
    cjk = [name for name, emb in fonts if "CJK" in name and "SC" in name.upper() and emb == "yes"]
    assert cjk, fonts
    assert all(emb == "yes" for _, emb in fonts), fonts


@pytest.mark.integration
def test_text_extracts_as_chinese(report_pdf: Path) -> None:
    text = _poppler("pdftotext", "-enc", "UTF-8", str(report_pdf), "-")
    for heading in case.HEADINGS:
        assert heading in text, heading
    assert "<script>alert(1)</script>智慧校园建设项目" in text
    assert "第1页" not in text.replace(" ", "")
    assert "sha256:0f3a" not in text  # the provenance is metadata, not text
    assert "仅供调试" not in text


@pytest.mark.integration
def test_gbt9704_sizes_and_page_numbers(report_pdf: Path) -> None:
    """Body 三号 (16 pt), title 二号 (22 pt), page numbers "— N —" 四号 at the foot, on the outside edge."""
    import pdfplumber

    from selfeval_lib.report import typography

    with pdfplumber.open(report_pdf) as pdf:
        pages = pdf.pages
        sizes = [round(c["size"], 1) for c in pages[0].chars]
        assert max(sizes) == typography.TITLE.size_pt
        assert max(set(sizes), key=sizes.count) == typography.BODY.size_pt
        for number, page in enumerate(pages, start=1):
            foot = [c for c in page.chars if c["top"] > page.height - typography.MARGINS_MM["bottom"] / 25.4 * 72]
            assert "".join(c["text"] for c in foot).replace(" ", "") == f"—{number}—"
            assert {round(c["size"], 1) for c in foot} == {typography.PAGE_NUMBER.size_pt}
            middle = sum(c["x0"] for c in foot) / len(foot)
            assert (middle > page.width / 2) == (number % 2 == 1), number  # odd right, even left


@pytest.mark.integration
def test_deterministic(report_html: str, report_pdf: Path) -> None:
    assert html_to_pdf(report_html) == report_pdf.read_bytes()
    assert b"/CreationDate" not in report_pdf.read_bytes()


def test_never_touches_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = ('<html lang="zh-CN"><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            '</head><body><p>离线</p><img src="https://127.0.0.1:9/x.png"></body></html>')
    assert html_to_pdf(html).startswith(b"%PDF-")
    assert attempts == []


@pytest.mark.integration
def test_fonts_are_subset_by_harfbuzz(report_html: str, monkeypatch) -> None:
    """Without libharfbuzz-subset0 WeasyPrint falls back to fontTools (~13 s a PDF instead of
    under one): checked by what runs, not by a clock."""
    from weasyprint.pdf.fonts import Font

    def fonttools(*args, **kwargs):
        raise AssertionError("WeasyPrint subset a font with fontTools: install libharfbuzz-subset0")

    monkeypatch.setattr(Font, "_fonttools_subset", fonttools)
    assert html_to_pdf(report_html).startswith(b"%PDF-")


# --- the engine: --pdf-engine weasyprint|browser|auto (render/pdf.py) ----------------------------

#: Run the command line as on a machine without pango: importing WeasyPrint fails as it does there.
WITHOUT_PANGO = """
import importlib.abc, sys

class NoPango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': cannot open shared object file")

sys.meta_path.insert(0, NoPango())
from selfeval_lib.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _without_pango(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", WITHOUT_PANGO, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_engine_names() -> None:
    assert [parse_pdf_engine(name) for name in (" Browser", "AUTO", "weasyprint")] == ["browser", "auto", "weasyprint"]
    with pytest.raises(ValueError, match="未知的 PDF 引擎.*可选：auto, weasyprint, browser"):
        parse_pdf_engine("chrome")
    assert resolve_engine("auto") == "weasyprint"  # pango is installed here
    assert resolve_engine("browser") == "browser"


@pytest.mark.integration
def test_without_pango_the_browser_prints(tmp_path: Path) -> None:
    """A machine without pango (Windows without a GTK runtime) gets its PDF from the browser."""
    done = _without_pango("run", str(SEED_SAMPLE), "--out", str(tmp_path / "auto"), "--formats", "html,pdf")
    assert done.returncode == 0, done.stderr
    folder = next((tmp_path / "auto").glob("*/*/"))
    assert json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["pdf_engine"] == "browser"
    pdf = folder / "report.pdf"
    assert int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf)), re.M).group(1)) > 1
    text = re.sub(r"\s+", "", _poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", (folder / "report.html").read_text(encoding="utf-8"))
    assert len(headings) >= 5 and all(h in text for h in headings), headings

    named = _without_pango("run", str(SEED_SAMPLE), "--out", str(tmp_path / "named"), "--pdf-engine", "weasyprint")
    assert named.returncode == 1 and "Traceback" not in named.stderr
    assert "WeasyPrint 无法加载" in named.stderr and "--pdf-engine browser" in named.stderr
    assert not list((tmp_path / "named").rglob("report.*"))


@pytest.mark.integration
def test_a_browser_that_is_not_there(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "run", str(SEED_SAMPLE), "--out", str(tmp_path),
                           "--pdf-engine", "browser", "--browser", str(tmp_path / "no-browser.exe")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "--browser 指定的浏览器不存在" in done.stderr and "no-browser.exe" in done.stderr
    assert not list(tmp_path.rglob("report.*"))
    usage = subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "run", str(SEED_SAMPLE), "--pdf-engine", "edge"],
                           capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and "未知的 PDF 引擎" in usage.stderr


def test_a_short_table_is_never_split() -> None:
    """A short table (at most KEEP_TOGETHER_ROWS rows that surely fit a page) moves whole to the next
    page rather than leave its last rows there (as Word keeps it); the filler moves the table
    across the page's foot."""
    import io

    import pandas as pd
    import pdfplumber

    from selfeval_lib.render.tables_html import KEEP_TOGETHER_ROWS, frame_html
    from selfeval_lib.resources import template_dir

    css = (template_dir("report") / "report.css").read_text(encoding="utf-8")
    names = [f"第{i}项支出内容" for i in range(1, 9)]
    table = frame_html(pd.DataFrame({"支出内容": names, "金额（万元）": ["1.00"] * len(names)}))
    assert len(names) <= KEEP_TOGETHER_ROWS and "keep-together" in table
    seen = set()
    for filler in range(14, 30, 2):
        html = (f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>"
                + "<p>填充文字。</p>" * filler + table + "</body></html>")
        with pdfplumber.open(io.BytesIO(html_to_pdf(html))) as pdf:
            pages = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
        on = {next(k for k, text in enumerate(pages) if name in text) for name in names}
        assert len(on) == 1, (filler, on)
        seen |= on
    assert seen == {0, 1}  # the table did reach the page's foot
    long = frame_html(pd.DataFrame({"支出内容": [f"内容{i}" for i in range(KEEP_TOGETHER_ROWS + 1)]}))
    assert "keep-together" not in long  # a long table splits, its header repeated
    # few rows of long texts may be taller than a page: kept whole it would leave its caption alone
    tall = frame_html(pd.DataFrame({"完成情况": ["实现与国家、省、市应急部门视频会议互联互通，及时处置突发事件"] * 8}))
    assert "keep-together" not in tall


def test_a_tables_first_row_is_never_alone_on_a_page() -> None:
    """A long table whose first row is short and second tall (预算执行率, then an indicator of long
    texts) never leaves the header and the first row alone at a page's foot."""
    import io

    import pandas as pd
    import pdfplumber

    from selfeval_lib.render.tables_html import frame_html
    from selfeval_lib.resources import template_dir

    css = (template_dir("report") / "report.css").read_text(encoding="utf-8")
    rows = ["预算执行率"] + [f"第{i}项指标" + "实现互联互通及时处置突发事件" * 6 for i in range(1, 18)]
    table = frame_html(pd.DataFrame({"指标": rows, "分值": ["10.00"] * len(rows)}))
    assert "keep-together" not in table
    seen = set()
    for filler in range(24, 30):
        html = (f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>"
                + "<p>填充文字。</p>" * filler + table + "</body></html>")
        with pdfplumber.open(io.BytesIO(html_to_pdf(html))) as pdf:
            pages = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
        first = next(k for k, text in enumerate(pages) if "预算执行率" in text)
        second = next(k for k, text in enumerate(pages) if "第1项指标" in text)
        assert first == second, filler
        seen.add(first)
    assert seen == {0, 1}  # the table's start did reach the page's foot
