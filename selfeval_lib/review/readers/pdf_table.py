"""Read the 自评表 in a PDF: every table on its first :data:`MAX_PAGES` pages, found by pdfplumber
from the ruling lines (or, for a table printed without rules, from the alignment of its text).

Each table's cells are put on a grid (a cell spanning several columns or rows of the ruling is a
merged cell) by :mod:`.page_grid`, which joins a table that continues over pages and reads each
grid with :func:`~selfeval_lib.review.readers.layout.read_sheet`. A page without text but with an
image is a scan: it is read by OCR (:mod:`.ocr`, the optional extra ``selfeval[ocr]``), and
without that extra the file is refused with a message saying which page is a scan.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.page_grid import (
    Block,
    Box,
    Word,
    page_blocks,
    read_blocks,
)

MAX_PDF_BYTES = 50 * 1024 * 1024
#: Pages read; a longer file is read up to here, and a note says so.
MAX_PAGES = 50
#: Characters on a page below which a page with an image is taken for a scan.
_SCAN_CHARS = 10
_TEXT_SETTINGS = {"vertical_strategy": "text", "horizontal_strategy": "text", "snap_tolerance": 3,
                  "join_tolerance": 3, "min_words_vertical": 3, "min_words_horizontal": 2}


def _fail(name: str, message: str) -> InputError:
    return InputError([Problem(name, "", message)])


def _open(name: str, raw: bytes) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not raw.lstrip()[:5].startswith(b"%PDF"):
        raise _fail(name, "不是 PDF 文件：文件开头没有“%PDF”标记")
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
        pdf.pages  # noqa: B018 - reads the page tree: a damaged file fails here
    except Exception as exc:  # noqa: BLE001 - any failure to parse is the same message for the user
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]  # pdfplumber wraps pdfminer's errors
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
            raise _fail(name, "PDF 已加密，请提供未加密的文件") from None
        raise _fail(name, f"无法读取 PDF 文件：文件损坏或不完整（{type(exc).__name__}）") from None
    return pdf


def _words(page: Any) -> list[Word]:
    return [Word(c["x0"], c["top"], c["x1"], c["bottom"], c["text"]) for c in page.chars
            if c.get("text", "").strip() and c.get("upright", True)]


def _tables(page: Any) -> tuple[list[list[Box]], bool]:
    """Cell boxes of each ruled table; failing those, of a table aligned without rules that has
    an indicator header (then ``True``: its rows are lines of text, not ruled rows)."""
    found = [t.cells for t in page.find_tables() if len(t.cells) >= 4]
    if found:
        return found, False
    text = page.extract_text() or ""
    if "三级指标" not in text.replace(" ", "").replace("\n", ""):
        return [], False
    return [t.cells for t in page.find_tables(_TEXT_SETTINGS) if len(t.cells) >= 4], True


def read_pdf(path: Path) -> list[TableRead]:
    """Every 自评表 in the PDF at ``path``. Raises :class:`InputError` for an encrypted, damaged or
    truncated file, a scan without the OCR extra, or a PDF whose tables are not 自评表 (naming
    each page and why)."""
    name = shown(path)
    raw = read_input(path, MAX_PDF_BYTES)
    pdf = _open(name, raw)
    notes: list[str] = []
    blocks: list[Block] = []
    with pdf:
        count = len(pdf.pages)
        if count == 0:
            raise _fail(name, "无法读取 PDF 文件：没有可读取的页面（文件损坏或不完整）")
        if count > MAX_PAGES:
            notes.append(f"PDF 共{count}页，只读取了前{MAX_PAGES}页。")
        pages = min(count, MAX_PAGES)
        scans: list[int] = []
        for i in range(pages):
            try:
                page = pdf.pages[i]
                words = _words(page)
                if len(words) < _SCAN_CHARS and page.images:
                    scans.append(i)
                    continue
                tables, unruled = _tables(page)
                blocks += page_blocks(i + 1, tables, words, height=float(page.height), unruled=unruled)
            except InputError:
                raise
            except Exception as exc:  # noqa: BLE001 - a damaged page: say which
                raise _fail(name, f"无法读取 PDF 第{i + 1}页：文件损坏或不完整（{type(exc).__name__}）") from None
        if scans:
            blocks = _with_scans(name, raw, blocks, scans, notes)
    return read_blocks(name, blocks, pages, notes)


def _with_scans(name: str, raw: bytes, blocks: list[Block], scans: list[int], notes: list[str]) -> list[Block]:
    """``blocks`` with the OCR'd tables of the scanned pages (0-based ``scans``), in page order."""
    try:
        from selfeval_lib.review.readers.ocr import DPI, engine, image_blocks

        engine()
    except ImportError:
        raise _fail(name, f"文件第{scans[0] + 1}页是扫描图像，需要 OCR：pip install 'selfeval[ocr]'") from None
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(raw)
    try:
        for i in scans:
            image = document[i].render(scale=DPI / 72, grayscale=True).to_pil()
            blocks += image_blocks(name, image, i + 1)
    finally:
        document.close()
    return sorted(blocks, key=lambda b: (b.page, b.top))
