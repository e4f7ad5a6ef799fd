"""A worksheet as a grid of printed values, and the header rows that make it a 自评表.

Cells are read as printed: numbers stay numbers unless formatted as %, dates become text, a
formula without a cached value gives its formula text ("=SUM(I8:I15)"). Merged cells give their
value to every cell they cover (:attr:`Sheet.spread`); the cells a vertical merge covers below its
first row are listed in :attr:`Sheet.continued`, so a merged score is not counted twice.

Columns are found by their names (一级指标 … 年度指标值 / 指标性质 | 指标值 | 度量单位 … 分值 / 权重 …
得分 … 原因), never by position; a header may take two rows (年度指标值 over 指标性质 | 指标值 |
度量单位).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: Rows and columns of a sheet that are read (a 自评表 is far smaller; formatting can make
#: ``max_row`` a million).
MAX_ROWS = 2000
MAX_COLS = 60

Grid = list[list[Any]]


# --- cells -----------------------------------------------------------------------------------

def number_text(value: float) -> str:
    """A number as a table prints it: 20 → "20", 0.1 + 0.2 → "0.3" (no float noise)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    text = f"{Decimal(repr(round(value, 10))):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_value(cell: Any, formula_cell: Any) -> Any:
    """A cell's value as printed: numbers stay numbers unless formatted as %, dates as text;
    ``formula_cell`` (the same cell read with formulas) gives the formula text when Excel cached
    no value."""
    value = cell.value
    if value is None:
        raw = getattr(formula_cell, "value", None)
        text = getattr(raw, "text", raw)  # ArrayFormula has .text
        if isinstance(text, str) and text.startswith("="):
            return text  # formula without a cached value: keep the formula text
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return number_text(value * 100) + "%"
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").strip()
    return text or None


def text_of(value: Any) -> str:
    """A grid value as text ("" for an empty cell, numbers as printed)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return number_text(value)
    return str(value).strip()


def norm(value: Any) -> str:
    """Header text compared without spaces or line breaks."""
    return re.sub(r"\s+", "", text_of(value))


def base(value: Any) -> str:
    """Header text without parenthesised notes ("年度指标值（A）" → "年度指标值")."""
    return re.sub(r"[（(][^）)]*[）)]", "", norm(value))


def or_none(value: Any) -> Any:
    """A grid value for the table model: an empty or all-space text is None."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


# --- the sheet -------------------------------------------------------------------------------

@dataclass
class Sheet:
    """A sheet's values in a grid (0-based), merged values spread, and which cells a vertical
    merge covers below its first row."""

    title: str
    grid: Grid
    spread: Grid
    continued: set[tuple[int, int]]
    #: Rows found from the alignment of printed text (a PDF table without rules), not ruled rows.
    unruled: bool = False

    def get(self, r: int, c: int | None) -> Any:
        """The value shown at the cell (a merge's value on every cell it covers)."""
        return None if c is None or c >= len(self.spread[r]) else self.spread[r][c]


#: A merged range, 0-based and inclusive: (top, left, bottom, right).
Merge = tuple[int, int, int, int]


def spread_merges(title: str, grid: Grid, merges: Iterable[Merge]) -> Sheet:
    """A :class:`Sheet` from printed values and merged ranges (0-based, inclusive): each merge's
    first value is spread over the cells it covers. Any form's reader (Excel, Word, web page,
    PDF) builds its grid this way; ranges outside the grid are clipped."""
    rows = len(grid)
    spread = [row[:] for row in grid]
    continued: set[tuple[int, int]] = set()
    for top, left, bottom, right in merges:
        if top >= rows or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for r in range(top, min(bottom + 1, rows)):
            for c in range(left, min(right + 1, len(grid[r]))):
                spread[r][c] = value
                if r > top:
                    continued.add((r, c))
    return Sheet(title, grid, spread, continued)


def sheet_grid(ws: Any, fws: Any) -> Sheet:
    """The first :data:`MAX_ROWS` × :data:`MAX_COLS` cells of ``ws`` (values) and ``fws`` (the same
    sheet read with formulas)."""
    max_row = min(ws.max_row or 0, MAX_ROWS)
    max_col = min(ws.max_column or 0, MAX_COLS)
    grid: Grid = []
    for r in range(1, max_row + 1):
        grid.append([cell_value(ws.cell(r, c), fws.cell(r, c)) for c in range(1, max_col + 1)])
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return spread_merges(ws.title, grid, merges)


def right_of(row: list[Any], c: int) -> Any:
    """The first cell right of ``c`` that is not blank and not the label itself (merged)."""
    label = norm(row[c])
    for value in row[c + 1:]:
        if norm(value) and norm(value) != label:
            return value
    return None


# --- header recognition ----------------------------------------------------------------------

def indicator_field(label: Any) -> str | None:
    """The indicator-table field a header label names (``name``, ``target``, ``op`` …), or None."""
    t, b = norm(label), base(label)
    if not t:
        return None
    if "指标性质" in t:
        return "op"
    if "度量单位" in t or "计量单位" in t or b == "单位":
        return "unit"
    if "一级指标" in t:
        return "level1"
    if "二级指标" in t:
        return "level2"
    if "三级指标" in t:
        return "name"
    if "完成值" in t or "实际值" in t or b.startswith("实际完成") or b in ("完成情况", "全年完成情况"):
        return "actual"
    if "指标值" in t or "目标值" in t or b in ("年度目标", "预期目标值"):
        return "target"  # 年度指标值, 年初目标值, 全年目标值, 计划指标值 … (not 实际完成值: above)
    if "权重占比" in t or b in ("权重比例", "权重占比"):
        return "weight_share"  # Hebei: the row's share of the total ("20%")
    if "分值" in t or "权重" in t or b in ("标准分", "满分", "分数"):
        return "weight"
    if "单项得分" in t:
        return "item_score"  # Hebei: out of 100, × 权重占比 = 折算得分
    if "得分" in t:
        return "score"
    if "原因" in t or "改进措施" in t or "偏差" in t:
        return "reason"
    return None


def funds_field(label: Any) -> str | None:
    """The funds-table field a header label names (``budget_full_year``, ``executed`` …), or None."""
    t, b = norm(label), base(label)
    if not t:
        return None
    if "年初预算" in t:
        return "budget_initial"
    if "全年预算" in t or "调整后预算" in t or "调整预算" in t or b in ("预算数", "全年预算数", "预算安排数"):
        return "budget_full_year"
    if "执行数" in t or "支出数" in t or b == "实际支出":
        return "executed"
    if b.startswith("得分"):
        return "score"  # "得分（分*执行率）" (Hubei) names the score, not the rate
    if "执行率" in t:
        return "rate"
    if "分值" in t or "权重" in t:
        return "weight"
    if "得分" in t:
        return "score"
    if "原因" in t:
        return "reason"
    return None


#: Required columns; a weight is optional (Hubei prints none per indicator, Hebei a 权重占比) and a
#: score may be Hebei's 单项得分.
_INDICATOR_REQUIRED = {"name": "三级指标", "target": "年度指标值（或指标值）", "actual": "实际完成值（或完成值）",
                       "score": "得分"}
_ALTERNATIVES = {"score": ("score", "item_score")}


def columns_of(labels: list[Any], classify: Callable[[Any], str | None]) -> dict[str, int]:
    """Field → 0-based column, the first column naming each field."""
    columns: dict[str, int] = {}
    for c, label in enumerate(labels):
        name = classify(label)
        if name and name not in columns:
            columns[name] = c
    return columns


def find_indicator_header(sheet: Sheet) -> tuple[int, int, dict[str, int]] | str:
    """(first header row, first data row, columns), 0-based, or why none was found (Chinese)."""
    best_missing: list[str] | None = None
    for r, row in enumerate(sheet.spread):
        if not any("三级指标" in norm(v) for v in row):
            continue
        labels = list(row)
        data_start = r + 1
        if r + 1 < len(sheet.spread):  # a second header row: 指标性质 | 指标值 | 度量单位 under 年度指标值
            below = sheet.spread[r + 1]
            if any(indicator_field(v) in ("op", "unit") or base(v) == "指标值" for v in below):
                labels = [b if norm(b) and norm(b) != norm(a) else a
                          for a, b in zip(row, below + [None] * (len(row) - len(below)))]
                data_start = r + 2
        columns = columns_of(labels, indicator_field)
        missing = [label for key, label in _INDICATOR_REQUIRED.items()
                   if not any(k in columns for k in _ALTERNATIVES.get(key, (key,)))]
        if not missing:
            return r, data_start, columns
        if best_missing is None or len(missing) < len(best_missing):
            best_missing = missing
    if best_missing is None:
        return "没有含“三级指标”的表头行"
    return "表头缺少" + "、".join(f"“{m}”" for m in best_missing) + "列"


def find_funds_header(sheet: Sheet, before: int) -> tuple[int, dict[str, int]] | None:
    """The funds table's header row above row ``before`` (0-based) and its columns, or None."""
    for r in range(before):
        columns = columns_of(sheet.spread[r], funds_field)
        if "budget_full_year" in columns and "executed" in columns:
            return r, columns
    return None
