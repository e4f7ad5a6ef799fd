"""The browser PDF engine (the Debian chromium, driven by Playwright), against WeasyPrint's PDF of
the same report HTML; checked with poppler-utils. No skips: chromium and poppler-utils are in
system-packages.txt, Playwright in the dependencies."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import report_notebook as case  # the executed test report notebook

from conftest import ROOT

from selfeval_lib.render.pdf import html_to_pdf
from selfeval_lib.render.pdf_browser import (BROWSER_ENV, BrowserNotFound, BrowserPrinter, descendants,
                                             deterministic, find_browser)


def _poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def _write(tmp: Path, name: str, pdf: bytes) -> Path:
    path = tmp / name
    path.write_bytes(pdf)
    return path


def _pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(path)), re.M).group(1))


def _words(path: Path) -> str:
    """The PDF's text in content order, without whitespace (line breaks differ between engines)
    and without the page-number lines."""
    text = _poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
    text = re.sub(r"—\s*\d+\s*—|第\s*\d+\s*页", "", text)
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printer():
    with BrowserPrinter() as p:
        yield p


@pytest.fixture(scope="module")
def report_html() -> str:
    return case.render_report_html()


@pytest.fixture(scope="module")
def pdfs(printer: BrowserPrinter, report_html: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("engines")
    return {"browser": _write(tmp, "browser.pdf", printer.print_pdf(report_html)),
            "weasyprint": _write(tmp, "weasyprint.pdf", html_to_pdf(report_html, engine="weasyprint"))}


@pytest.mark.integration
def test_same_page_size_and_pages_as_weasyprint(pdfs: dict[str, Path]) -> None:
    info = _poppler("pdfinfo", str(pdfs["browser"]))
    assert "(A4)" in info and "Title:" in info and "alert(1)" in info
    assert _pages(pdfs["browser"]) == _pages(pdfs["weasyprint"])


@pytest.mark.integration
def test_same_text_as_weasyprint(pdfs: dict[str, Path]) -> None:
    browser, weasy = _words(pdfs["browser"]), _words(pdfs["weasyprint"])
    assert browser == weasy
    for heading in case.HEADINGS:
        assert heading in browser, heading
    assert "sha256:0f3a" not in browser and "仅供调试" not in browser


@pytest.mark.integration
def test_page_numbers_from_the_stylesheet(pdfs: dict[str, Path]) -> None:
    """The page number is the stylesheet's ``@page`` margin box, on every page, as WeasyPrint prints it."""
    def numbers(path: Path) -> list[str]:  # the text in each page's bottom margin (the last 15 mm of 297)
        return [re.sub(r"\s+", "", _poppler("pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), "-x", "0",
                                            "-y", "800", "-W", "600", "-H", "42", str(path), "-"))
                for n in range(1, _pages(path) + 1)]

    assert numbers(pdfs["browser"]) == numbers(pdfs["weasyprint"])
    assert len(numbers(pdfs["browser"])) == _pages(pdfs["browser"])


@pytest.mark.integration
def test_fonts_embedded_and_text_extractable(pdfs: dict[str, Path]) -> None:
    rows = [row.split() for row in _poppler("pdffonts", str(pdfs["browser"])).splitlines()[2:] if row.strip()]
    assert rows
    # Chromium embeds the CFF-flavoured Noto CJK fonts as Type 3 fonts, with a ToUnicode map.
    assert all(row[-5] == "yes" and row[-3] == "yes" for row in rows), rows  # emb, uni
    text = _poppler("pdftotext", "-enc", "UTF-8", str(pdfs["browser"]), "-")
    assert "<script>alert(1)</script>智慧校园建设项目" in text


@pytest.mark.integration
def test_byte_identical_across_prints_and_browsers(printer: BrowserPrinter, report_html: str,
                                                   pdfs: dict[str, Path]) -> None:
    again = printer.print_pdf(report_html)
    assert again == pdfs["browser"].read_bytes()
    with BrowserPrinter() as other:  # another browser process, another profile
        assert other.print_pdf(report_html) == again
    assert b"/CreationDate" not in again and b"/ModDate" not in again
    _poppler("pdfinfo", str(pdfs["browser"]))  # still a valid PDF (offsets unchanged)


def test_deterministic_blanks_dates_in_place() -> None:
    pdf = b"%PDF-1.4\n1 0 obj\n<</Title (t)\n/CreationDate (D:20261207070513+08'00')\n/ModDate (D:2026)>>\nendobj\n"
    cleaned = deterministic(pdf)
    assert len(cleaned) == len(pdf) and b"Date" not in cleaned and b"/Title (t)" in cleaned


@pytest.mark.integration
def test_never_touches_the_network_or_files(printer: BrowserPrinter, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    html = ('<html lang="zh-CN"><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>'
            f'<p>离线</p><img src="https://127.0.0.1:9/x.png"><iframe src="file://{secret}"></iframe>'
            '<script>document.body.append("脚本已执行")</script></body></html>')
    text = _poppler("pdftotext", "-enc", "UTF-8", str(_write(tmp_path, "x.pdf", printer.print_pdf(html))), "-")
    assert "离线" in text and "机密内容" not in text and "脚本已执行" not in text


@pytest.mark.integration
def test_a_dead_browser_is_started_again(report_html: str) -> None:
    with BrowserPrinter() as p:
        first = p.print_pdf(report_html)
        pids = p.pids()
        assert pids and p.launches == 1
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)  # the browser and Playwright's driver die
            except ProcessLookupError:
                pass
        assert p.print_pdf(report_html) == first
        assert p.launches == 2


@pytest.mark.integration
def test_closed_printer_leaves_no_process(report_html: str) -> None:
    before = set(descendants(os.getpid()))
    p = BrowserPrinter()
    p.print_pdf("<p>一</p>")
    assert set(descendants(os.getpid())) - before  # the browser and Playwright's driver
    p.close()
    assert set(descendants(os.getpid())) - before == set()


#: A process that starts a printer, prints the pids of its browser and driver, and waits.
OWNER = """
import sys
from selfeval_lib.render.pdf_browser import BrowserPrinter
p = BrowserPrinter()
p.print_pdf("<p>一</p>")
print(" ".join(map(str, p.pids())), flush=True)
sys.stdin.read()
"""


#: Kills the owner outright, then, as the subreaper of its orphans, waits until it has no child
#: left (none of its descendants runs: each would be its child or under one); prints the
#: browser's pids, then those of them still running.
REAPER = """
import ctypes, os, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans become ours
owner = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
pids = owner.stdout.readline().split()
owner.kill()
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
print(" ".join(pids))
print(" ".join(pid for pid in pids if os.path.exists(f"/proc/{pid}")))
"""


@pytest.mark.integration
def test_a_killed_owner_leaves_no_browser() -> None:
    """A batch worker killed outright (SIGKILL: no atexit, no finally) takes its browser with it:
    Playwright's driver ends when its pipe closes and closes the browser it launched. The reaper
    waits for each process to end (a browser left running would hang it, hence the bound)."""
    done = subprocess.run([sys.executable, "-c", REAPER, OWNER], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    browser, running = (done.stdout.splitlines() + [""])[:2]
    assert browser.split() and running.split() == [], done.stderr


def test_find_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BROWSER_ENV, raising=False)
    assert find_browser().is_file()
    with pytest.raises(BrowserNotFound, match="--browser"):
        find_browser(tmp_path / "no-such-browser")
    monkeypatch.setenv(BROWSER_ENV, str(tmp_path / "missing"))
    with pytest.raises(BrowserNotFound, match=BROWSER_ENV):
        find_browser()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(BROWSER_ENV)
    with pytest.raises(BrowserNotFound, match="Chromium、Chrome 或 Edge"):
        find_browser()


def test_the_sandbox_is_given_up_only_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chromium cannot start its sandbox as root (CI, containers): only there --no-sandbox."""
    from selfeval_lib.render import pdf_browser

    monkeypatch.setattr(pdf_browser.os, "geteuid", lambda: 1000, raising=False)
    assert "--no-sandbox" not in pdf_browser.browser_args()
    monkeypatch.setattr(pdf_browser.os, "geteuid", lambda: 0, raising=False)
    assert "--no-sandbox" in pdf_browser.browser_args()
    monkeypatch.delattr(pdf_browser.os, "geteuid", raising=False)  # Windows has no euid
    assert "--no-sandbox" not in pdf_browser.browser_args()
