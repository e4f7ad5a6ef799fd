"""The input workbook read back into params data: sheets, headers and labels found by their
Chinese text (never by position), cells converted as the schema expects, every problem named by
its cell (``支付明细!C7``).

A row whose 序号 is “示例” is an example and is not read, nor is an empty row. Values that cannot
be converted are passed on unchanged, so that pydantic reports them with the same messages as
in YAML files; validation is :mod:`~selfeval_lib.inputs.workbook.importer`'s work.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from selfeval_lib.core.quantity import OPERATORS
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.messages import Loc, Problem
from selfeval_lib.inputs.workbook.spec import EXAMPLE_MARK, KV_HEADERS, SEQ, SHEETS, Column, Sheet, column_letter

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: Rows after the header that a table sheet may hold (beyond is refused, not cut silently).
MAX_DATA_ROWS = 20_000


def _norm(text: Any) -> str:
    """Header/label text for matching: NFKC, no spaces, no “*”, no “（…）” unit or note."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s).replace("*", "")
    return re.sub(r"\(.*?\)", "", s)


class _Grid:
    """One worksheet read twice (cached values and formulas), merged ranges filled from their
    top-left cell, without creating cells."""

    def __init__(self, name: str, values, formulas, epoch):
        self.name = name
        self.ws = values
        self.wf = formulas
        self.epoch = epoch
        self.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in values.merged_cells.ranges]

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        for r1, c1, r2, c2 in self.merged:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return r1, c1
        return row, col

    def cell(self, row: int, col: int):
        return self.ws._cells.get(self.anchor(row, col))  # _cells: avoid creating empty cells

    def formula(self, row: int, col: int) -> Any:
        cell = self.wf._cells.get(self.anchor(row, col))
        return cell.value if cell is not None and cell.data_type == "f" else None

    def rows(self) -> list[int]:
        found = {r for (r, _c) in self.ws._cells}
        for r1, _c1, r2, _c2 in self.merged:
            found.update(range(r1, min(r2, r1 + MAX_DATA_ROWS + 1) + 1))
        return sorted(found)

    def text(self, row: int, col: int) -> str:
        cell = self.cell(row, col)
        return "" if cell is None or cell.value is None else str(cell.value).strip()


_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DATE_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")
_ROLE_SPLIT = re.compile(r"[、,，;；/\n]+")
_OPERATOR_GLYPHS = tuple(sorted(OPERATORS, key=len, reverse=True))


def _num_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    d = Decimal(repr(round(value, 10))).normalize()
    return format(d, "f")


def _plain_number(text: str) -> str | None:
    """"86,200" / "86200元" / "８６２００" → "86200"; None when it is not a plain number."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if s.endswith("元"):
        s = s[:-1]
    return s.replace(",", "") if _NUMBER_TEXT.match(s) else None


def _read_value(grid: _Grid, row: int, col: int, column: Column) -> tuple[Any, str | None]:
    """(value for the schema, or None when empty; a problem of the cell itself, or None).

    Values that cannot be converted are passed on unchanged so that pydantic reports them
    with the same messages as in YAML files."""
    cell = grid.cell(row, col)
    raw = None if cell is None else cell.value
    if cell is not None and cell.data_type == "e":
        return None, (f"单元格是错误值 {raw}（以“=”开头的内容会被当作公式：要写“=5项”，请设为文本格式或在前面加英文单引号）")
    if raw is None:
        formula = grid.formula(row, col)
        if formula:
            return None, f"公式 {str(formula)[:40]} 没有计算结果：请在 Excel/WPS/LibreOffice 中打开并保存后再导入"
        return None, None
    if isinstance(raw, str):
        raw = raw.replace("\r\n", "\n").strip()
        if not raw:
            return None, None
    fmt = cell.number_format or "General"
    kind = column.kind
    if kind == "amount":
        if isinstance(raw, float) and abs(raw * 100 - round(raw * 100)) < 1e-6:
            return Decimal(repr(round(raw, 2))), None  # binary noise of a formula (0.1+0.2)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), None
        if isinstance(raw, str):
            plain = _plain_number(raw)
            return (Decimal(plain) if plain is not None else raw), None
        return raw, None
    if kind in ("number", "rate"):
        value: Any = raw
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            value = float(raw)
        elif isinstance(raw, str):
            s = unicodedata.normalize("NFKC", raw).strip()
            percent = kind == "rate" and s.endswith("%")
            plain = _plain_number(s[:-1] if percent else s)
            if plain is not None:
                value = float(Decimal(plain) / 100) if percent else float(plain)
        if column.check == "rate" and isinstance(value, float) and 1 < value <= 100:
            return value, f"应为百分比（如 {_num_text(value)}%）或 0–1 之间的小数（当前值：{_num_text(value)}）"
        return value, None
    if kind == "int":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        if isinstance(raw, str):
            plain = _plain_number(raw)
            if plain is not None and re.fullmatch(r"[+-]?\d+", plain):
                return int(plain), None
        return raw, None
    if kind == "date":
        return _read_date(raw, grid.epoch), None
    if kind == "roles":
        text = _cell_text(raw, fmt)
        return [part.strip() for part in _ROLE_SPLIT.split(text) if part.strip()], None
    text = _cell_text(raw, fmt)
    if kind == "cell":
        return text, _unknown_operator(text)
    return text, None


def _cell_text(raw: Any, fmt: str) -> Any:
    """A cell as text: numbers as written (a percentage cell 0.95 → "95%"), dates as ISO."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return f"{_num_text(raw * 100)}%" if "%" in fmt else _num_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return raw


def _read_date(raw: Any, epoch) -> Any:
    from openpyxl.utils.datetime import from_excel

    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 36_000 <= raw <= 75_000:
        value = from_excel(raw, epoch)  # a date cell that lost its date format
        return value.date() if isinstance(value, dt.datetime) else raw
    if isinstance(raw, str):
        m = _DATE_TEXT.match(unicodedata.normalize("NFKC", raw))
        if m:
            return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"  # the schema checks that it exists
    return raw


def _unknown_operator(text: str) -> str | None:
    """A target/actual starting with a symbol that is no operator ("≈95%", "~3部", "±5%"):
    :func:`parse_value` would read it as qualitative text, silently."""
    s = text.strip()
    if not s or s.startswith(_OPERATOR_GLYPHS):
        return None
    first = s[0]
    if first in "+-." or unicodedata.category(first) not in ("Sm", "Sc"):
        return None
    return (f"“{s}”以无法识别的符号“{first}”开头：运算符只能用 ≥、≤、>、<、="
            "（或“不低于”“不超过”等文字），如“≥95%”")


class Reader:
    """Reads a workbook into params data (:meth:`read`); collects ``problems`` (``structural``
    when a sheet, header or label is missing, so that cell problems would mislead) and ``refs``,
    the cell (or row, column) of every field path."""

    def __init__(self, path: Path):
        self.path = path
        self.file = str(path)
        self.problems: list[Problem] = []
        self.refs: dict[Loc, str] = {}
        self.structural = False

    def problem(self, where: str, message: str, structural: bool = False) -> None:
        self.problems.append(Problem(self.file, where, message))
        self.structural |= structural

    def open(self):
        from openpyxl import load_workbook

        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise InputError([Problem(self.file, "", f"无法读取文件：{exc.strerror or exc}")]) from None
        if size > MAX_WORKBOOK_BYTES:
            raise InputError([Problem(self.file, "", f"文件过大（{size} 字节，上限 {MAX_WORKBOOK_BYTES} 字节）")])
        try:
            values = load_workbook(self.path, data_only=True)
            formulas = load_workbook(self.path, data_only=False)
        except Exception as exc:  # noqa: BLE001 - any failure of parsing an untrusted file
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
            if actual is None:
                self.problem(f"{spec.name}!A1", f"缺少工作表“{spec.name}”（现有：{'、'.join(values.sheetnames)}）；"
                             "请用 selfeval template 生成的模板填写", structural=True)
                continue
            grid = _Grid(spec.name, values[actual], formulas[actual], values.epoch)
            value = self._table(grid, spec) if spec.table else self._kv(grid, spec)
            if value is not None:
                _place(data, spec.loc, value)
        return data

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
        rows: list[Any] = []
        data_rows = [r for r in grid.rows() if r > header]
        if len(data_rows) > MAX_DATA_ROWS:
            self.problem(f"{grid.name}!{data_rows[MAX_DATA_ROWS]}:{data_rows[MAX_DATA_ROWS]}",
                         f"数据行过多（上限 {MAX_DATA_ROWS} 行）", structural=True)
            return None
        for r in data_rows:
            if seq_col is not None and grid.text(r, seq_col).startswith(EXAMPLE_MARK):
                continue
            read = {col.key: (_read_value(grid, r, cols[col.key], col), cols[col.key]) for col in spec.columns}
            if all(v is None and err is None for (v, err), _c in read.values()):
                continue  # an empty row
            i = len(rows)
            self.refs[spec.loc + (i,)] = f"{grid.name}!{r}:{r}"
            item: dict[str, Any] = {}
            for col in spec.columns:
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
            self.refs[spec.loc + (col.key,)] = ref
            value, err = _read_value(grid, r, value_col, col)
            if err:
                self.problem(ref, err)
            value = col.empty if value is None else value
            if value is not None:
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

