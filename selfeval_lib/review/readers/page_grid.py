"""Tables found on printed pages (a text PDF or a scan) rebuilt as grids and read as 自评表.

A page gives its tables as cell boxes (from the ruling lines: pdfplumber's cells, or the cells
OpenCV finds between the lines of a scan) and its text as :class:`Word` boxes (PDF characters or
OCR text boxes). :func:`page_blocks` puts the cell edges on a grid (a box spanning several columns
or rows of it is a merged cell), places each word in the cell holding its centre and keeps the
text printed outside the tables (the title above, the notes below) as rows of their own.
:func:`read_blocks` joins the blocks of a table printed over several pages
(:mod:`.page_join`; "第 2 页" footers never rows) and reads each joined grid with
:func:`~selfeval_lib.review.readers.layout.read_sheet`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.excel_grid import Grid, Merge, spread_merges
from selfeval_lib.review.readers.layout import read_sheet
from selfeval_lib.review.readers.page_join import Block, join_blocks
from selfeval_lib.review.readers.page_text import Word, cell_text, line_text, lines_of

#: A cell box: (x0, top, x1, bottom), y growing downwards.
Box = tuple[float, float, float, float]

_PAGE_MARK = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|[-—－]\s*\d+\s*[-—－]|\d{1,3}|Page\s*\d+.*)$",
                        re.IGNORECASE)


# --- one page --------------------------------------------------------------------------------

def _cluster(values: Iterable[float], tol: float) -> list[float]:
    """Sorted values merged when within ``tol`` of the previous one (each group's mean)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _nearest(edges: list[float], v: float) -> int:
    i = bisect.bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


def _block(page: int, cells: list[Box], words: list[Word], tol: float,
           unruled: bool = False) -> tuple[Block, list[Word]] | None:
    """The grid of one table and the words it does not hold."""
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells], tol)
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells], tol)
    if len(xs) < 2 or len(ys) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    owner: dict[tuple[int, int], int] = {}
    spans: list[tuple[int, int, int, int]] = []
    for box in cells:
        c0, c1 = _nearest(xs, box[0]), _nearest(xs, box[2])
        r0, r1 = _nearest(ys, box[1]), _nearest(ys, box[3])
        if c1 <= c0 or r1 <= r0 or any((r, c) in owner for r in range(r0, r1) for c in range(c0, c1)):
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[(r, c)] = len(spans)
        spans.append((r0, c0, r1 - 1, c1 - 1))
    for c in range(cols):  # a cell without all four rules (cut by the page break): per column
        r = 0
        while r < rows:
            if (r, c) in owner:
                r += 1
                continue
            start = r
            while r < rows and (r, c) not in owner:
                owner[(r, c)] = len(spans)
                r += 1
            spans.append((start, c, r - 1, c))
    held: list[list[Word]] = [[] for _ in spans]
    outside: list[Word] = []
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        r, c = bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1
        k = owner.get((r, c)) if 0 <= r < rows and 0 <= c < cols else None
        if k is None:
            if not (xs[0] - tol <= cx <= xs[-1] + tol and ys[0] - tol <= cy <= ys[-1] + tol):
                outside.append(w)
            continue
        held[k].append(w)
    told_apart = True
    if unruled:
        spans, held, rows, told_apart = _lines_into_rows(spans, held, rows)
    grid: Grid = [[None] * cols for _ in range(rows)]
    merges: list[Merge] = []
    low: list[str] = []
    for (r0, c0, r1, c1), members in zip(spans, held):
        text = cell_text(members)
        grid[r0][c0] = text or None
        if r1 > r0 or c1 > c0:
            merges.append((r0, c0, r1, c1))
        score = min((w.score for w in members), default=1.0)
        if text and score < 0.8:
            low.append(f"第{r0 + 1}行第{c0 + 1}列“{text[:20]}”（置信度 {score:.2f}）")
    block = Block(page, xs, ys[0], ys[-1], grid, merges, tol=tol, unruled=unruled)
    if not told_apart:
        block.notes.append(f"第{page}页的表格没有表格线，各行文字的间距相同，无法区分单元格内的换行与新的一行："
                           "每行文字按一行读取（只有三级指标名称一段文字的行并入上一行），请核对原件。")
    if low:
        block.notes.append(f"第{page}页以下单元格的 OCR 识别置信度较低，请核对原件：" + "；".join(low[:20])
                           + ("等" if len(low) > 20 else "") + "。")
    return block, outside


#: In a table printed without rules, lines closer than this (× the type size) are one row: a
#: cell's text wrapped over lines, the next row set apart by the cells' padding.
_WRAP_GAP = 0.6


def _lines_into_rows(spans: list[tuple[int, int, int, int]], held: list[list[Word]],
                     rows: int) -> tuple[list[tuple[int, int, int, int]], list[list[Word]], int, bool]:
    """The rows of a table found without rules (one per printed line) grouped into the table's
    rows: lines whose gap is under :data:`_WRAP_GAP` × the type size are one row when the table
    also shows wider gaps between rows (a long name wrapped onto a second line, a header cell
    over two lines, the other cells of that row printed beside either line). With no wider gap
    the rows cannot be told from wrapped lines: every line stays a row, and ``False`` says so."""
    extent: dict[int, tuple[float, float]] = {}
    sizes: list[float] = []
    for (r0, _c0, _r1, _c1), members in zip(spans, held):
        for w in members:
            top, bottom = extent.get(r0, (w.top, w.bottom))
            extent[r0] = (min(top, w.top), max(bottom, w.bottom))
            sizes.append(w.size)
    if not sizes:
        return spans, held, rows, True
    size = sorted(sizes)[len(sizes) // 2]
    order = sorted(extent)
    gaps = [extent[b][0] - extent[a][1] for a, b in zip(order, order[1:])]
    if not any(g >= _WRAP_GAP * size * 1.25 for g in gaps):
        return spans, held, rows, len(order) < 2
    band: dict[int, int] = {}
    n = -1
    for i, r in enumerate(order):
        if i == 0 or gaps[i - 1] >= _WRAP_GAP * size:
            n += 1
        band[r] = n
    for r in range(rows):  # a line without text goes with the row above it
        band.setdefault(r, band.get(r - 1, 0) if r else 0)
    joined: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    words: dict[tuple[int, int], list[Word]] = {}
    for (r0, c0, r1, c1), members in zip(spans, held):
        key = (band[r0], c0)
        old = joined.get(key)
        joined[key] = (band[r0], c0, max(band[r1], old[2] if old else 0), max(c1, old[3] if old else c1))
        words.setdefault(key, []).extend(members)
    keys = sorted(joined)
    return [joined[k] for k in keys], [words[k] for k in keys], n + 1, True


def page_blocks(page: int, tables: list[list[Box]], words: list[Word], tol: float = 2.0,
                height: float = 0.0, unruled: bool = False) -> list[Block]:
    """The tables of one page (each a list of cell boxes) as blocks, top to bottom, with the lines
    printed between them (page numbers left out); ``height`` is the page's; ``unruled``: the
    boxes were found from the alignment of the text (each line a row), not from rules."""
    blocks: list[Block] = []
    rest = list(words)
    for cells in sorted(tables, key=lambda cells: min(c[1] for c in cells)):
        made = _block(page, cells, rest, tol, unruled)
        if made is not None:
            blocks.append(made[0])
            rest = made[1]
    for line in lines_of(rest):
        text = line_text(line, wide_gap=1.0)
        if not text or _PAGE_MARK.match(text.strip()):
            continue
        y = (line[0].top + line[0].bottom) / 2
        after = [b for b in blocks if b.top >= y]
        if after:
            after[0].above.append(text)
        elif blocks:
            blocks[-1].below.append(text)
    for i, b in enumerate(blocks):
        b.first_on_page, b.last_on_page, b.height = i == 0, i == len(blocks) - 1, height
    return blocks


def read_blocks(file: str, blocks: list[Block], pages_read: int, notes: Iterable[str] = ()) -> list[TableRead]:
    """Every 自评表 among ``blocks`` (all pages of one file, in order). Raises :class:`InputError`
    when none is one: no table on any page, or why each table is not a 自评表."""
    if not blocks:
        span = "第1页" if pages_read == 1 else f"第1–{pages_read}页均"
        raise InputError([Problem(file, "", f"{span}未找到表格：复核需要带表格线的自评表（或表格的扫描件）")])
    per_page: dict[int, int] = {}
    order: dict[int, int] = {}
    for b in blocks:
        order[id(b)] = per_page.get(b.page, 0)
        per_page[b.page] = order[id(b)] + 1
    reads: list[TableRead] = []
    skipped: list[str] = []
    for j in join_blocks(blocks):
        first, last = j.blocks[0].page, j.blocks[-1].page
        title = f"第{first}页" if first == last else f"第{first}–{last}页"
        if per_page[first] > 1:
            title += f"表{order[id(j.blocks[0])] + 1}"
        sheet = spread_merges(title, j.grid, j.merges)
        sheet.unruled = any(b.unruled for b in j.blocks)
        read = read_sheet(file, sheet)
        if isinstance(read, str):
            if sheet.unruled:
                read += "；该表格没有表格线，按文字对齐识别，行列可能无法可靠区分，请提供带表格线的文件"
            skipped.append(f"{title}的表格（{read}）")
            continue
        block_notes = [n for b in j.blocks for n in b.notes]
        read.notes[:0] = list(dict.fromkeys([*notes, *block_notes]))
        reads.append(read)
    if not reads:
        raise InputError([Problem(file, "", "没有找到可识别的自评表：表格应有含“三级指标”“年度指标值（或指标值）”"
                                            "“实际完成值（或完成值）”“分值（或权重）”“得分”的表头行。已检查："
                                            + "；".join(skipped))])
    return reads
