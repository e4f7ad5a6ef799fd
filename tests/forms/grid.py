"""A published table as a grid of printed cells with spans: the one source from which every test
form (web page, Word, Excel, .xls, PDF, scan) of the same table is built.

A grid file (YAML) is::

    title: 2023年度项目支出绩效自评表          # printed above the table (optional)
    notes: ["填报单位（盖章）：…"]              # paragraphs printed below it (optional)
    rows:
      - ["项目名称", {text: "移动会商系统…", colspan: 5}]
      - [{text: "一级指标", rowspan: 2}, "二级指标", …]

Cells are placed as an HTML table places them: each row's cells fill the next free columns, a
``rowspan`` reserving the cells below. :func:`placed` gives every cell's position, which each
builder uses, so all forms hold the same table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Span:
    """One printed cell: its text, top-left position (0-based) and extent."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    rows: list[list[Any]]
    title: str = ""
    notes: list[str] = field(default_factory=list)


def load_grid(path: Path | str) -> Grid:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return Grid(rows=data["rows"], title=data.get("title", ""), notes=list(data.get("notes", [])))


def _cell(value: Any) -> tuple[str, int, int]:
    if isinstance(value, dict):
        return str(value.get("text", "")), int(value.get("rowspan", 1)), int(value.get("colspan", 1))
    return ("" if value is None else str(value)), 1, 1


def placed(grid: Grid) -> list[Span]:
    """Every cell with its position, rows in order, cells left to right."""
    taken: set[tuple[int, int]] = set()
    spans: list[Span] = []
    for r, row in enumerate(grid.rows):
        c = 0
        for value in row:
            while (r, c) in taken:
                c += 1
            text, rs, cs = _cell(value)
            spans.append(Span(r, c, text, rs, cs))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
    return spans


def shape(grid: Grid) -> tuple[int, int]:
    """(rows, columns) of the placed grid."""
    spans = placed(grid)
    return (max(s.row + s.rowspan for s in spans), max(s.col + s.colspan for s in spans))


def to_html(grid: Grid, *, charset: str = "utf-8", chrome: bool = False) -> str:
    """The table as a web page. ``chrome`` wraps it as a unit's website prints it (navigation, a
    layout table, a footer); ``charset`` is declared in a ``<meta>`` (encode the text with it)."""
    body = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">']
    by_row: dict[int, list[Span]] = {}
    for s in placed(grid):
        by_row.setdefault(s.row, []).append(s)
    for r in range(shape(grid)[0]):
        cells = []
        for s in by_row.get(r, []):
            attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
            cells.append(f"<td{attrs}>{html.escape(s.text).replace(chr(10), '<br>')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    body.append("</table>")
    title = f"<h3 style=\"text-align:center\">{html.escape(grid.title)}</h3>" if grid.title else ""
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in grid.notes)
    table = title + "\n".join(body) + notes
    if chrome:
        table = ('<div class="nav"><table><tr><td><a href="/">首页</a></td><td><a href="/xxgk">信息公开</a></td>'
                 '<td><a href="/zwgk">政务公开</a></td></tr></table></div>'
                 f'<table class="layout" width="100%"><tr><td class="side">栏目导航</td><td class="main">{table}</td></tr></table>'
                 '<div class="footer">主办单位：示例单位　ICP备案号：00000000号</div>')
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{html.escape(grid.title or '自评表')}</title></head><body>{table}</body></html>")
