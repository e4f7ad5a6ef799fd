"""Read the 自评表 of a Word document (.docx): every table of the body, tables nested in a cell
read as tables of their own, merged cells resolved from the document's XML (``w:gridSpan``
across, ``w:vMerge`` down, ``w:gridBefore`` skipped columns).

A cell's paragraphs are joined with "\\n" (the text of a table nested in it is left out). The
file is opened by :func:`~selfeval_lib.inputs.files.read_input`; the size of its unpacked parts
is checked before python-docx parses them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.excel_grid import MAX_COLS, MAX_ROWS, Merge
from selfeval_lib.review.readers.tables import GridTable, cell_text, read_grids

MAX_DOCX_BYTES = 20 * 1024 * 1024
#: The unpacked size of all parts (a small file that unpacks to gigabytes is refused).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _int(element: Any, default: int = 1) -> int:
    try:
        return max(0, int(element.get(f"{_W}val"))) if element is not None else default
    except (TypeError, ValueError):
        return default


def _paragraphs_text(tc: Any) -> str:
    """The text of a cell's own paragraphs (also those inside content controls), one per line."""
    from docx.text.paragraph import Paragraph

    lines = []
    for p in tc.iter(f"{_W}p"):
        parent = p.getparent()
        while parent is not None and parent is not tc and parent.tag != f"{_W}tbl":
            parent = parent.getparent()
        if parent is tc:  # not a paragraph of a nested table
            lines.append(Paragraph(p, None).text)
    return "\n".join(lines)


def _row_of(tc: Any) -> Any:
    """The ``w:tr`` a cell belongs to (a cell may sit in a content control inside the row)."""
    parent = tc.getparent()
    while parent is not None and parent.tag != f"{_W}tr":
        parent = parent.getparent()
    return parent


def _grid(tbl: Any) -> GridTable:
    """A ``w:tbl`` element as a grid: values at the top-left of each merge, the merges."""
    cells: dict[tuple[int, int], Any] = {}
    merges: dict[tuple[int, int], list[int]] = {}  # top-left → [top, left, bottom, right]
    open_down: dict[int, tuple[int, int]] = {}  # column → the top-left of the vertical merge through it
    rows = [tr for tr in tbl.iterchildren(f"{_W}tr")][:MAX_ROWS]
    width = 0
    for r, tr in enumerate(rows):
        trpr = tr.find(f"{_W}trPr")
        c = _int(trpr.find(f"{_W}gridBefore"), 0) if trpr is not None else 0
        for tc in tr.iter(f"{_W}tc"):
            if _row_of(tc) is not tr:  # a cell of a nested table
                continue
            tcpr = tc.find(f"{_W}tcPr")
            span = _int(tcpr.find(f"{_W}gridSpan")) if tcpr is not None else 1
            span = max(1, min(span, MAX_COLS - c))
            vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
            if c >= MAX_COLS:
                break
            if vmerge is not None and vmerge.get(f"{_W}val") in (None, "continue") and c in open_down:
                top = open_down[c]
                merges[top][2] = r
            else:
                cells[(r, c)] = cell_text(_paragraphs_text(tc))
                merges[(r, c)] = [r, c, r, c + span - 1]
                for col in range(c, c + span):
                    open_down.pop(col, None)
                if vmerge is not None:  # restart
                    for col in range(c, c + span):
                        open_down[col] = (r, c)
            c += span
            width = max(width, c)
    grid = [[cells.get((r, c)) for c in range(width)] for r in range(len(rows))]
    spans: list[Merge] = [(a, b, d, e) for a, b, d, e in merges.values() if d > a or e > b]
    return GridTable("", grid, spans)


def docx_tables(raw: bytes, name: str) -> list[GridTable]:
    """Every table of the document body, in document order (an outer table before those nested in it)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError([Problem(name, "", "无法读取 Word 文件：文件损坏或不完整（可能下载未完成）")]) from None
    if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise InputError([Problem(name, "", f"Word 文件解压后超过 {MAX_UNPACKED_BYTES // (1024 * 1024)} MB，不像是自评表，未读取")])
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - any failure to open is the same message for the user
        raise InputError([Problem(name, "", f"无法读取 Word 文件：文件损坏或不是 .docx 格式（{type(exc).__name__}）")]) from None
    return [_grid(tbl) for tbl in document.element.body.iter(f"{_W}tbl")]


def read_docx(path: Path) -> list[TableRead]:
    """Each 自评表 of the Word document at ``path``. Raises :class:`InputError` for a file that
    cannot be opened or holds no 自评表 (naming each table, and the header expected)."""
    name = shown(path)
    return read_grids(name, docx_tables(read_input(path, MAX_DOCX_BYTES), name), "Word 文件")
