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
    norm,
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


def _joined(first: GridTable, second: GridTable, drop: int = 0) -> GridTable:
    """``second`` below ``first``, its first ``drop`` rows (a repeated header) left out."""
    top = len(first.rows) - drop
    merges = first.merges + [(a + top, b, c + top, d) for a, b, c, d in second.merges if a >= drop]
    return GridTable(first.title, first.rows + second.rows[drop:], merges)


#: Header rows repeated at the top of a table's continuation that are dropped (at most).
_MAX_REPEATED = 3


def _row_keys(table: GridTable) -> list[tuple[str, ...]]:
    """Each row's printed text (merges spread) to compare header rows; the 绩效指标 cell that
    spans the indicator rows on the left is left out (a continuation repeats it or not)."""
    spread = spread_merges("", table.rows, table.merges).spread
    return [tuple("" if norm(v) == "绩效指标" else norm(v) for v in row) for row in spread]


def _repeated_header(first: GridTable, second: GridTable) -> int:
    """How many rows at the top of ``second`` repeat the indicator header of ``first`` (the
    header Word or a web page prints again where a table continues on the next page): 0 when
    ``second`` does not start with that header."""
    keys = _row_keys(first)
    at = next((r for r, row in enumerate(keys) if "三级指标" in row), None)
    if at is None:
        return 0
    header = set(keys[at:at + 2])
    drop = 0
    for row in _row_keys(second)[:_MAX_REPEATED]:
        if row not in header:
            break
        drop += 1
    return drop if drop and drop < len(second.rows) else 0


def _continued(file: str, last: tuple[GridTable, TableRead], table: GridTable,
               read: TableRead | str) -> tuple[GridTable, TableRead] | None:
    """``table`` read as the rest of the 自评表 ``last`` (its grid and reading) when it is one:
    as many columns, and either no header of its own or the header of ``last`` repeated at its
    top (with no project rows above it), and more indicator rows read joined than apart, or the
    总分 row that ``last`` lacked (its rest is only the 总分 and closing rows)."""
    if not _accepts_join(last[0], table):
        return None
    drop = _repeated_header(last[0], table)
    if not drop and read != _NO_HEADER:
        return None
    joined = _joined(last[0], table, drop)
    again = read_sheet(file, spread_merges(joined.title, joined.rows, joined.merges))
    if isinstance(again, str):
        return None
    closes = last[1].table.ends_open and not again.table.ends_open and again.table.published_total is not None
    if len(again.table.indicators) <= len(last[1].table.indicators) and not closes:
        return None
    again.notes.append(f"{table.title}重复了{joined.title}的表头，是该表的续表，去掉重复的表头后合并读取。" if drop
                       else f"{table.title}没有表头，接续{joined.title}的指标行，合并读取。")
    return joined, again


def _with_head(file: str, head: GridTable, table: GridTable, read: TableRead) -> tuple[GridTable, TableRead] | None:
    """``table`` (an indicator table with no project rows or funds block of its own) read below
    ``head``, the table just before it that is no 自评表 alone, when that gives the 自评表 its
    project or funds: a 附件 printed as its head and its indicators (so that Word and a printed
    page repeat the indicator header), as published Word files often are too."""
    if read.table.funds is not None or read.table.project.name or not _accepts_join(head, table):
        return None
    joined = _joined(head, table)
    again = read_sheet(file, spread_merges(head.title, joined.rows, joined.merges))
    if isinstance(again, str) or (again.table.funds is None and not again.table.project.name) \
            or len(again.table.indicators) < len(read.table.indicators):
        return None
    again.notes.append(f"{head.title}是{table.title}的表头部分（项目、资金与目标），与其指标行合并读取。")
    return joined, again


def read_grids(file: str, tables: list[GridTable], what: str) -> list[TableRead]:
    """Each 自评表 among ``tables`` (in order); ``what`` names the form in messages ("Word 文件",
    "网页"). A table without a header of its own right after a 自评表 with as many columns is read
    as that table continued (printed over two tables) when it adds indicator rows, and so is a
    table that starts with the header of the one before repeated (its continuation on the next
    page: the 总分 row kept with the table). Raises
    :class:`InputError` naming every table and why it is not a 自评表 when none is."""
    reads: list[TableRead] = []
    reasons: list[str] = []
    last: tuple[GridTable, TableRead] | None = None  # the last 自评表 read, for a continuation
    head: GridTable | None = None  # the table just before, when it is no 自评表 alone
    for i, table in enumerate(tables, start=1):
        table.title = table.title or f"第{i}个表格"
        read = read_sheet(file, spread_merges(table.title, table.rows, table.merges))
        if head is not None and not isinstance(read, str) and (whole := _with_head(file, head, table, read)):
            table, read = whole
        head = table if isinstance(read, str) else None
        continued = _continued(file, last, table, read) if last is not None else None
        if continued is not None:
            reads[reads.index(last[1])] = continued[1]
            last = continued
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
