"""What the Word, web-page and .xls readers share: a file's tables (grids) read by
:func:`~selfeval_lib.review.readers.layout.read_sheet`, a table continued in the next table joined,
and one message naming every table that is not a 自评表 and why.

A grid is a list of rows of printed values and its merged ranges (0-based, inclusive), as
:func:`~selfeval_lib.review.readers.excel_grid.spread_merges` takes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.excel_grid import (
    MAX_COLS,
    MAX_ROWS,
    Merge,
    spread_merges,
)
from selfeval_lib.review.readers.layout import read_sheet

#: What a 自评表's header must name (the reason a table is skipped ends with it).
EXPECTED_HEADER = ("每张自评表应有含“三级指标”“年度指标值（或指标值）”“实际完成值（或完成值）”“分值（或权重）”"
                   "“得分”的表头行")
_NO_HEADER = "没有含“三级指标”的表头行"


@dataclass
class GridTable:
    """One table of a file: its name in messages ("第2个表格", "工作表“Sheet1”"), printed values
    and merged ranges."""

    title: str
    rows: list[list[Any]]
    merges: list[Merge]


def cell_text(text: str) -> str | None:
    """A Word or web-page cell's text as a grid value: ideographic and no-break spaces as spaces,
    each line stripped, blank lines dropped; None when nothing is left."""
    text = text.replace("\u3000", " ").replace("\xa0", " ").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    joined = "\n".join(line for line in lines if line)
    return joined or None


def place(rows: Sequence[Sequence[tuple[Any, int, int]]]) -> GridTable:
    """Cells given as (value, rowspan, colspan) row by row, placed as HTML places them (each cell
    in the next free column, a rowspan reserving the cells below); at most
    :data:`~selfeval_lib.review.readers.excel_grid.MAX_ROWS` × ``MAX_COLS`` cells."""
    taken: set[tuple[int, int]] = set()
    cells: dict[tuple[int, int], Any] = {}
    merges: list[Merge] = []
    n_rows = min(len(rows), MAX_ROWS)
    width = 0
    for r in range(n_rows):
        c = 0
        for value, rowspan, colspan in rows[r]:
            while (r, c) in taken:
                c += 1
            if c >= MAX_COLS:
                break
            rs = max(1, min(rowspan, n_rows - r))
            cs = max(1, min(colspan, MAX_COLS - c))
            cells[(r, c)] = value
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            if rs > 1 or cs > 1:
                merges.append((r, c, r + rs - 1, c + cs - 1))
            c += cs
            width = max(width, c)
    width = max([width] + [c + 1 for _, c in taken])
    grid = [[cells.get((r, c)) for c in range(width)] for r in range(n_rows)]
    return GridTable("", grid, merges)


def _accepts_join(first: GridTable, second: GridTable) -> bool:
    width = max((len(r) for r in first.rows), default=0)
    return bool(second.rows) and max(len(r) for r in second.rows) == width


def _joined(first: GridTable, second: GridTable) -> GridTable:
    top = len(first.rows)
    merges = first.merges + [(a + top, b, c + top, d) for a, b, c, d in second.merges]
    return GridTable(first.title, first.rows + second.rows, merges)


def read_grids(file: str, tables: list[GridTable], what: str) -> list[TableRead]:
    """Each 自评表 among ``tables`` (in order); ``what`` names the form in messages ("Word 文件",
    "网页"). A table without a header of its own right after a 自评表 with as many columns is read
    as that table continued (printed over two tables) when it adds indicator rows. Raises
    :class:`InputError` naming every table and why it is not a 自评表 when none is."""
    reads: list[TableRead] = []
    reasons: list[str] = []
    last: tuple[GridTable, TableRead] | None = None  # the last 自评表 read, for a continuation
    for i, table in enumerate(tables, start=1):
        table.title = table.title or f"第{i}个表格"
        read = read_sheet(file, spread_merges(table.title, table.rows, table.merges))
        if isinstance(read, str) and read == _NO_HEADER and last is not None and _accepts_join(last[0], table):
            joined = _joined(last[0], table)
            again = read_sheet(file, spread_merges(joined.title, joined.rows, joined.merges))
            if not isinstance(again, str) and len(again.table.indicators) > len(last[1].table.indicators):
                again.notes.append(f"{table.title}没有表头，接续{joined.title}的指标行，合并读取。")
                reads[reads.index(last[1])] = again
                last = (joined, again)
                continue
        if isinstance(read, str):
            reasons.append(f"{table.title}：{read}")
            last = None
        else:
            reads.append(read)
            last = (table, read)
    if reads:
        return reads
    if not tables:
        raise InputError([Problem(file, "", f"{what}中没有表格：{EXPECTED_HEADER}")])
    if len(tables) == 1:
        raise InputError([Problem(file, "第1个表格", f"该表格不是自评表（{reasons[0].split('：', 1)[1]}）；{EXPECTED_HEADER}")])
    raise InputError([Problem(file, "", f"第1–{len(tables)}个表格均不是自评表：" + "；".join(reasons)
                              + f"。{EXPECTED_HEADER}")])
