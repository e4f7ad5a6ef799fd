"""The input workbook read back into params data: sheets, headers and labels found by their
Chinese text (never by position), cells converted as the schema expects, every problem named by
its cell (``支付明细!C7``).

A row whose 序号 is “示例” is an example and is not read, nor is an empty row. Values that cannot
be converted are passed on unchanged, so that pydantic reports them with the same messages as
in YAML files; validation is :mod:`~selfeval_lib.inputs.workbook.importer`'s work.

Merged cells: a merged range's value is that of its top-left cell only; the other cells it covers
read as blank, never as a copy. Where that could change data — the range covers a cell that is
read (a table's columns in the rows below its header; a key/value sheet's 栏目 and 填写内容
columns below its header) other than its own top-left cell, e.g. amounts C2:C4 of three
payments — the range is a structural error naming it (``支付明细!C2:C4: 合并单元格…``) and that
sheet is not read further. Elsewhere a merge is layout and passes: titles, header rows, columns
not read, a 填写内容 cell merged rightwards over the 示例/说明 columns.

The file is opened by :func:`~selfeval_lib.inputs.files.read_input` and its rows and cells are
counted while streaming (:func:`~selfeval_lib.inputs.xlsx_limits.check_xlsx`, :data:`LIMITS`)
before openpyxl loads it. Text cells holding a forbidden character (control characters,
U+FFFE/U+FFFF: :data:`~selfeval_lib.inputs.files.FORBIDDEN`) are errors of their cell.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import ENCRYPTED_MESSAGE, is_encrypted_office, read_input, shown
from selfeval_lib.inputs.messages import Loc, Problem
from selfeval_lib.inputs.workbook.cells import read_value
from selfeval_lib.inputs.workbook.spec import (
    EXAMPLE_MARK,
    INDICATOR_NOTES,
    KV_HEADERS,
    SEQ,
    SHEETS,
    Column,
    Sheet,
    column_letter,
)
from selfeval_lib.inputs.xlsx_limits import XlsxLimits, check_xlsx

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: Rows after the header that a table sheet may hold (beyond is refused, not cut silently).
MAX_DATA_ROWS = 20_000
#: Rows of any sheet and cells of the whole workbook, counted while streaming, before loading.
LIMITS = XlsxLimits(rows=MAX_DATA_ROWS + 100, cells=200_000)


def _norm(text: Any) -> str:
    """Header/label text for matching: NFKC, no spaces, no “*”, no “（…）” unit or note."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s).replace("*", "")
    return re.sub(r"\(.*?\)", "", s)


class _Grid:
    """One worksheet read twice (cached values and formulas), without creating cells; a merged
    range's value is in its top-left cell only, the cells it covers read as blank."""

    def __init__(self, name: str, values, formulas, epoch):
        self.name = name
        self.ws = values
        self.wf = formulas
        self.epoch = epoch
        self.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in values.merged_cells.ranges]

    def cell(self, row: int, col: int):
        cell = self.ws._cells.get((row, col))  # _cells: avoid creating empty cells
        return None if cell is None or type(cell).__name__ == "MergedCell" else cell

    def formula(self, row: int, col: int) -> Any:
        cell = self.wf._cells.get((row, col))
        return cell.value if cell is not None and cell.data_type == "f" else None

    def rows(self) -> list[int]:
        return sorted({r for (r, _c) in self.ws._cells})

    def text(self, row: int, col: int) -> str:
        cell = self.cell(row, col)
        return "" if cell is None or cell.value is None else str(cell.value).strip()


class Reader:
    """Reads a workbook into params data (:meth:`read`); collects ``problems`` (``structural``
    when a sheet, header or label is missing, so that cell problems would mislead) and ``refs``,
    the cell (or row, column) of every field path."""

    def __init__(self, path: Path):
        self.path = path
        self.file = shown(path)
        self.problems: list[Problem] = []
        self.refs: dict[Loc, str] = {}
        self.structural = False
        self.raw = b""  # the file's bytes, once opened
        self.elsewhere: dict[Loc, Any] = {}  # values of columns kept off their section (Column.at)

    def problem(self, where: str, message: str, structural: bool = False) -> None:
        self.problems.append(Problem(self.file, where, message))
        self.structural |= structural

    def merges_over(self, grid: _Grid, header: int, read: set[int]) -> bool:
        """Report every merged range covering a cell that is read — in a column of ``read``,
        below row ``header`` — other than its own top-left cell; whether there was one. Such a
        merge is structural: the sheet is not read (its sums and references would mislead)."""
        found = False
        for r1, c1, r2, c2 in sorted(grid.merged):
            top = max(r1, header + 1)
            cols = [c for c in sorted(read) if c1 <= c <= c2]
            if top > r2 or not cols or (top == r2 and cols == [c1] and top == r1):
                continue  # reads no cell, or only its own top-left
            first = f"{column_letter(c1)}{r1}"
            self.problem(f"{grid.name}!{first}:{column_letter(c2)}{r2}",
                         f"合并单元格：填写区域的单元格不能合并（合并后只有左上角 {first} 有值，其余单元格读作空白，"
                         "不会复制），请取消合并，在每个单元格分别填写", structural=True)
            found = True
        return found

    def open(self):
        from openpyxl import load_workbook

        raw = self.raw = read_input(self.path, MAX_WORKBOOK_BYTES)
        check_xlsx(raw, self.file, LIMITS)
        try:
            values = load_workbook(io.BytesIO(raw), data_only=True)
            formulas = load_workbook(io.BytesIO(raw), data_only=False)
        except Exception as exc:  # noqa: BLE001 - any failure of parsing an untrusted file
            if is_encrypted_office(raw):
                raise InputError([Problem(self.file, "", f"无法读取工作簿：{ENCRYPTED_MESSAGE}")]) from None
            raise InputError([Problem(self.file, "", "无法读取工作簿：应为 .xlsx 文件（Excel 2007 及以后格式；"
                                      f".xls 或 .et 请先另存为 .xlsx）（{type(exc).__name__}）")]) from None
        return values, formulas

    def read(self) -> dict[str, Any]:
        import warnings

        with warnings.catch_warnings():  # e.g. "Data Validation extension is not supported"
            warnings.simplefilter("ignore", UserWarning)
            values, formulas = self.open()
        by_name = {_norm(name): name for name in values.sheetnames}
        data: dict[str, Any] = {}
        for spec in SHEETS:
            actual = by_name.get(_norm(spec.name))
            if actual is None and spec.may_be_absent:
                continue  # a sheet newer than the workbook's template
            if actual is None:
                self.problem(f"{spec.name}!A1", f"缺少工作表“{spec.name}”（现有：{'、'.join(values.sheetnames)}）；"
                             "请用 selfeval template 生成的模板填写", structural=True)
                continue
            grid = _Grid(spec.name, values[actual], formulas[actual], values.epoch)
            value = self._table(grid, spec) if spec.table else self._kv(grid, spec)
            if value is not None:
                _place(data, spec.loc, value)
        for loc, value in self.elsewhere.items():
            _place(data, loc, value)
        notes = data.pop(INDICATOR_NOTES[0], None)
        if notes:
            self._merge_notes(data, notes)
        return data

    def _merge_notes(self, data: dict[str, Any], notes: list[Any]) -> None:
        """Each 指标监控说明 row into the ``progress`` entry of its indicator (by 三级指标) and month."""
        indicators = data.get("indicators")
        indicators = indicators if isinstance(indicators, list) else []
        for k, note in enumerate(notes):
            note = dict(note)
            name = note.pop("indicator", None)
            where = self.refs.get(INDICATOR_NOTES + (k, "indicator"), "指标监控说明")
            hits = [i for i, ind in enumerate(indicators) if isinstance(ind, dict) and ind.get("name") == name]
            if len(hits) != 1:
                why = "不在“绩效指标”工作表中" if not hits else "在“绩效指标”工作表中重名，无法对应"
                self.problem(where, f"三级指标“{name}”{why}")
                continue
            progress = indicators[hits[0]].setdefault("progress", [])
            j = next((j for j, p in enumerate(progress) if p.get("month") == note.get("month")), None)
            if j is None:
                j = len(progress)
                progress.append({"month": note.get("month")})
            progress[j].update({key: v for key, v in note.items() if key != "month"})
            for key in note:
                ref = self.refs.get(INDICATOR_NOTES + (k, key))
                if ref is not None and (key != "month" or "value" not in progress[j]):
                    self.refs[("indicators", hits[0], "progress", j, key)] = ref

    def _header_row(self, grid: _Grid, wanted: list[str]) -> int | None:
        best, best_count = None, 0
        for r in range(1, 11):
            present = {_norm(grid.text(r, c)) for c in range(1, 41)}
            count = sum(w in present for w in wanted)
            if count > best_count:
                best, best_count = r, count
        return best

    def _columns(self, grid: _Grid, row: int, columns: Iterable[Column]) -> dict[str, int] | None:
        """Column index of each field, by header text (label or alias); problems when missing."""
        headers: dict[str, list[int]] = {}
        last = max((c for (r, c) in grid.ws._cells if r == row), default=0)
        for c in range(1, last + 1):
            key = _norm(grid.text(row, c))
            if key:
                headers.setdefault(key, []).append(c)
        found: dict[str, int] = {}
        present = "、".join(grid.text(row, c) for c in range(1, last + 1) if grid.text(row, c)) or "无"
        ok = True
        for col in columns:
            names = [_norm(col.label)] + [_norm(a) for a in col.aliases]
            hits = [c for name in names for c in headers.get(name, [])]
            if not hits and col.may_be_absent:
                continue  # a column newer than the workbook's template: read as empty
            if not hits:
                self.problem(f"{grid.name}!{row}:{row}",
                             f"找不到表头“{col.label}”（可能被改名或删除；第 {row} 行现有表头：{present}）", structural=True)
                ok = False
            elif len(set(hits)) > 1:
                cells = "、".join(f"{column_letter(c)}{row}" for c in sorted(set(hits)))
                self.problem(f"{grid.name}!{row}:{row}", f"表头“{col.label}”出现多次（{cells}）", structural=True)
                ok = False
            else:
                found[col.key] = hits[0]
        return found if ok else None

    def _table(self, grid: _Grid, spec: Sheet) -> list[Any] | None:
        header = self._header_row(grid, [_norm(c.label) for c in spec.columns])
        if header is None:
            names = "、".join(c.label for c in spec.columns)
            self.problem(f"{grid.name}!1:1", f"找不到表头行（应含：{names}）", structural=True)
            return None
        cols = self._columns(grid, header, spec.columns)
        seq_col = next((c for c in range(1, 41) if _norm(grid.text(header, c)) == SEQ), None)
        if cols is None:
            return None
        first = column_letter(cols[spec.columns[0].key])
        self.refs[spec.loc] = f"{grid.name}!{first}{header + 1}"
        if spec.loc == ("indicators",):
            weight = column_letter(cols["weight"])
            self.refs[spec.loc] = f"{grid.name}!{weight}:{weight}"
        if self.merges_over(grid, header, set(cols.values())):
            return None
        rows: list[Any] = []
        data_rows = [r for r in grid.rows() if r > header]
        if len(data_rows) > MAX_DATA_ROWS:
            self.problem(f"{grid.name}!{data_rows[MAX_DATA_ROWS]}:{data_rows[MAX_DATA_ROWS]}",
                         f"数据行过多（上限 {MAX_DATA_ROWS} 行）", structural=True)
            return None
        for r in data_rows:
            if seq_col is not None and grid.text(r, seq_col).startswith(EXAMPLE_MARK):
                continue
            read = {col.key: (read_value(grid, r, cols[col.key], col), cols[col.key])
                    for col in spec.columns if col.key in cols}
            if all(v is None and err is None for (v, err), _c in read.values()):
                continue  # an empty row
            i = len(rows)
            self.refs[spec.loc + (i,)] = f"{grid.name}!{r}:{r}"
            item: dict[str, Any] = {}
            for col in spec.columns:
                if col.key not in read:
                    continue
                (value, err), c = read[col.key]
                ref = f"{grid.name}!{column_letter(c)}{r}"
                if spec.scalar:
                    self.refs[spec.loc + (i,)] = ref
                else:
                    self.refs[spec.loc + (i, col.key)] = ref
                if err:
                    self.problem(ref, err)
                value = col.empty if value is None else value
                if value is not None:
                    item[col.key] = value
            rows.append(item.get("") if spec.scalar else item)
        return rows

    def _kv(self, grid: _Grid, spec: Sheet) -> dict[str, Any] | None:
        header = self._header_row(grid, [_norm(h) for h in KV_HEADERS[:2]])
        heads = {_norm(h): Column(h, _norm(h)) for h in KV_HEADERS[:2]}
        cols = self._columns(grid, header, heads.values()) if header is not None else None
        if header is None or cols is None:
            if header is None:
                self.problem(f"{grid.name}!1:1", "找不到表头行（应含：栏目、填写内容）", structural=True)
            return None
        label_col, value_col = cols[_norm("栏目")], cols[_norm("填写内容")]
        if self.merges_over(grid, header, {label_col, value_col}):
            return None
        letter = column_letter(value_col)
        labels: dict[str, list[int]] = {}
        for r in grid.rows():
            if r > header:
                labels.setdefault(_norm(grid.text(r, label_col)), []).append(r)
        self.refs[spec.loc] = f"{grid.name}!{letter}{header + 1}"
        section: dict[str, Any] = {}
        for col in spec.columns:
            names = [_norm(col.label)] + [_norm(a) for a in col.aliases]
            hits = sorted({r for name in names for r in labels.get(name, [])})
            if not hits and col.may_be_absent:
                continue  # a column newer than the workbook's template: read as empty
            if not hits:
                self.problem(f"{grid.name}!{column_letter(label_col)}:{column_letter(label_col)}",
                             f"找不到栏目“{col.label}”（可能被改名或删除）", structural=True)
                continue
            if len(hits) > 1:
                where = "、".join(f"{column_letter(label_col)}{r}" for r in hits)
                self.problem(f"{grid.name}!{column_letter(label_col)}{hits[0]}", f"栏目“{col.label}”出现多次（{where}）",
                             structural=True)
                continue
            r = hits[0]
            ref = f"{grid.name}!{letter}{r}"
            self.refs[col.at or spec.loc + (col.key,)] = ref
            value, err = read_value(grid, r, value_col, col)
            if err:
                self.problem(ref, err)
            value = col.empty if value is None else value
            if value is not None and col.at:
                self.elsewhere[col.at] = value
            elif value is not None:
                section[col.key] = value
        if spec.optional and not section:
            return None
        return section

    def ref(self, loc: Loc) -> str:
        """The cell of field ``loc``, else of its nearest parent; the dotted path if none."""
        for cut in range(len(loc), 0, -1):
            if loc[:cut] in self.refs:
                return self.refs[loc[:cut]]
        return ".".join(str(p) for p in loc)


def _place(data: dict[str, Any], loc: Loc, value: Any) -> None:
    node = data
    for part in loc[:-1]:
        node = node.setdefault(part, {})
    if isinstance(value, dict) and isinstance(node.get(loc[-1]), dict):
        node[loc[-1]].update(value)
    else:
        node[loc[-1]] = value

