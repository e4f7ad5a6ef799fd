"""PDF rendering with WeasyPrint, checked with poppler-utils (must be installed)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest
import test_render_html as case  # the executed test report notebook

from selfeval_lib.render.pdf import html_to_pdf


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


def test_is_a4_pdf(report_pdf: Path) -> None:
    assert report_pdf.read_bytes().startswith(b"%PDF-")
    info = _poppler("pdfinfo", str(report_pdf))
    assert "(A4)" in info
    assert "Title:" in info and "alert(1)" in info


def test_cjk_font_embedded(report_pdf: Path) -> None:
    rows = _poppler("pdffonts", str(report_pdf)).splitlines()[2:]
    fonts = [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]
    assert fonts, "no fonts in PDF"
    cjk = [name for name, emb in fonts if "CJK" in name and "SC" in name.upper() and emb == "yes"]
    assert cjk, fonts
    assert all(emb == "yes" for _, emb in fonts), fonts


def test_text_extracts_as_chinese(report_pdf: Path) -> None:
    text = _poppler("pdftotext", "-enc", "UTF-8", str(report_pdf), "-")
    for heading in case.HEADINGS:
        assert heading in text, heading
    assert "<script>alert(1)</script>智慧校园建设项目" in text
    assert "第1页" not in text.replace(" ", "")
    assert "sha256:0f3a" not in text  # the provenance is metadata, not text
    assert "仅供调试" not in text


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


def test_render_speed_after_warmup(report_html: str) -> None:
    # Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: ~13 s/call.
    html_to_pdf(report_html)
    n = 3
    start = time.perf_counter()
    for _ in range(n):
        html_to_pdf(report_html)
    per_call = (time.perf_counter() - start) / n
    print(f"html_to_pdf: {per_call * 1000:.0f} ms/call")
    assert per_call < 3.0
