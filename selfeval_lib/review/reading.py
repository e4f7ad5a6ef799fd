"""Read a published 自评表 (YAML transcription or Excel workbook) into :class:`PublishedTable`.

Cells are kept as printed: "20%" weights, "≥95%" targets, "600余人", "——" blanks and amounts in
the unit the header names. Nothing is corrected here; :func:`selfeval_lib.review.recompute.review_table`
does the recomputation.

Excel: one table per sheet that has a recognisable indicator header. Columns are found by their
names (一级指标 … 年度指标值 / 指标性质 | 指标值 | 度量单位 … 分值 / 权重 … 得分 … 原因), never by
position; a header may take two rows (年度指标值 over 指标性质 | 指标值 | 度量单位). Merged cells
give their value to the cells they cover for labels, level-1/level-2 and the reason column; a
weight, score, target or actual cell covered by a vertical merge is read as blank (a merged score
must not count twice) and a note says so. Workbooks are read with ``data_only=True``: a formula
cell gives the value Excel cached when it saved the file. A file written by a program that stores
no cached values (openpyxl, some exporters) gives the formula text itself ("=SUM(I8:I15)"), so
the review reports that cell as unreadable instead of silently reading it as blank.

Where the reader had to choose (amount unit not printed, subtotal rows skipped …) it says so in
:attr:`TableRead.notes`; :func:`review_reads` appends these to :attr:`Review.readings`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from selfeval_lib.inputs.params import InputError, Problem, _problem_at, _pydantic_message, read_yaml
from selfeval_lib.core.quantity import OPERATORS
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.table import PublishedTable, Review
from selfeval_lib.core.rules import RuleSet

YAML_SUFFIXES = (".yaml", ".yml")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_EXCEL_BYTES = 20 * 1024 * 1024
#: Rows and columns of a sheet that are read (a 自评表 is far smaller; formatting can make
#: ``max_row`` a million).
MAX_ROWS = 2000
MAX_COLS = 60

Grid = list[list[Any]]


@dataclass
class TableRead:
    """One table read from a file, and the readings the reader applied to it (Chinese)."""

    table: PublishedTable
    notes: list[str] = field(default_factory=list)


# --- public entry points ---------------------------------------------------------------------

def load_table(path: Path | str) -> list[PublishedTable]:
    """Every table in ``path``: one for a YAML file, one per qualifying sheet of a workbook.

    Raises :class:`~selfeval_lib.inputs.params.InputError` (file, field or sheet/row, message in
    Chinese) for a file that cannot be used.
    """
    return [read.table for read in read_tables(path)]


def read_tables(path: Path | str) -> list[TableRead]:
    """As :func:`load_table`, with the reader's notes for each table."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return [_read_yaml_table(path)]
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path)
    if suffix == ".xls":
        raise InputError([Problem(str(path), "", "不支持 .xls（Excel 97-2003）格式，请在 Excel 中另存为 .xlsx 后再复核")])
    raise InputError([Problem(str(path), "", f"不支持的文件类型“{path.suffix or '无扩展名'}”：自评表应为 .xlsx 或 .yaml/.yml")])


def review_reads(reads: Iterable[TableRead], rules: RuleSet) -> list[Review]:
    """Review each table under ``rules``; the reader's notes are added to the review's readings."""
    reviews = []
    for read in reads:
        review = review_table(read.table, rules)
        review.readings.extend(read.notes)
        reviews.append(review)
    return reviews


# --- YAML ------------------------------------------------------------------------------------

_UNION_TAGS = {"str", "float", "int", "none", "list[str]"}


def _read_yaml_table(path: Path) -> TableRead:
    name = str(path)
    data, lines = read_yaml(path)
    if not data.get("source"):
        data["source"] = name
    try:
        table = PublishedTable.model_validate(data)
    except ValidationError as exc:
        problems: dict[tuple, Problem] = {}
        for err in exc.errors():
            loc = tuple(err["loc"])
            if len(loc) > 1 and loc[-1] in _UNION_TAGS:  # a Cell (number or text) field: one message
                loc = loc[:-1]
                message = "应为数字或文字（如 20、“20%”）"
            else:
                message = _pydantic_message(err)
            problems.setdefault(loc, _problem_at(name, loc, message, lines))
        raise InputError(list(problems.values())) from None
    return TableRead(table)


# --- Excel: opening --------------------------------------------------------------------------

def _read_workbook(path: Path) -> list[TableRead]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError([Problem(name, "", f"无法读取文件：{exc.strerror or exc}")]) from None
    if size > MAX_EXCEL_BYTES:
        raise InputError([Problem(name, "", f"文件过大（{size} 字节，上限 {MAX_EXCEL_BYTES} 字节）")])
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, styles …
            values = load_workbook(path, data_only=True)
            formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the same message for the user
        raise InputError([Problem(name, "", f"无法读取 Excel 文件：文件损坏或不是 .xlsx 格式（{type(exc).__name__}）")]) from None

    reads: list[TableRead] = []
    skipped: list[str] = []
    problems: list[Problem] = []
    for ws in values.worksheets:
        try:
            read = _read_sheet(name, ws, formulas[ws.title])
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 - a layout this reader does not handle: say which sheet
            problems.append(Problem(name, f"工作表“{ws.title}”", f"无法识别表格内容（{type(exc).__name__}: {str(exc)[:80]}）"))
            continue
        if isinstance(read, str):
            skipped.append(f"“{ws.title}”（{read}）")
        else:
            reads.append(read)
    if problems:
        raise InputError(problems)
    if not reads:
        raise InputError([Problem(name, "", "没有找到可识别的自评表：每张表应有含“三级指标”“年度指标值（或指标值）”"
                                            "“实际完成值（或完成值）”“分值（或权重）”“得分”的表头行。已检查的工作表："
                                            + "；".join(skipped))])
    return reads


# --- Excel: cells ----------------------------------------------------------------------------

def _number_text(value: float | int) -> str:
    """A number as a table prints it: 20 → "20", 0.1 + 0.2 → "0.3" (no float noise)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    text = f"{Decimal(repr(round(value, 10))):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell_value(cell: Any, formula_cell: Any) -> Any:
    """A cell's value as printed: numbers stay numbers unless formatted as %, dates as text."""
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
            return _number_text(value * 100) + "%"
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").strip()
    return text or None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return _number_text(value)
    return str(value).strip()


def _norm(value: Any) -> str:
    """Header text compared without spaces or line breaks."""
    return re.sub(r"\s+", "", _text(value))


def _base(value: Any) -> str:
    """Header text without parenthesised notes ("年度指标值（A）" → "年度指标值")."""
    return re.sub(r"[（(][^）)]*[）)]", "", _norm(value))


@dataclass
class _Sheet:
    """A sheet's values in a grid (0-based), merged values spread, and which cells a vertical
    merge covers below its first row."""

    title: str
    grid: Grid
    spread: Grid
    continued: set[tuple[int, int]]

    def raw(self, r: int, c: int | None) -> Any:
        return None if c is None or c >= len(self.grid[r]) else self.grid[r][c]

    def get(self, r: int, c: int | None) -> Any:
        return None if c is None or c >= len(self.spread[r]) else self.spread[r][c]


def _sheet_grid(ws: Any, fws: Any) -> _Sheet:
    max_row = min(ws.max_row or 0, MAX_ROWS)
    max_col = min(ws.max_column or 0, MAX_COLS)
    grid: Grid = []
    for r in range(1, max_row + 1):
        grid.append([_cell_value(ws.cell(r, c), fws.cell(r, c)) for c in range(1, max_col + 1)])
    spread = [row[:] for row in grid]
    continued: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        top, left = rng.min_row - 1, rng.min_col - 1
        if top >= max_row or left >= max_col:
            continue
        value = grid[top][left]
        for r in range(top, min(rng.max_row, max_row)):
            for c in range(left, min(rng.max_col, max_col)):
                spread[r][c] = value
                if r > top:
                    continued.add((r, c))
    return _Sheet(ws.title, grid, spread, continued)


# --- Excel: header recognition ---------------------------------------------------------------

def _indicator_field(label: Any) -> str | None:
    t, b = _norm(label), _base(label)
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
    if "年度指标值" in t or b in ("指标值", "目标值", "年度目标值", "预期指标值", "年度目标"):
        return "target"
    if "完成值" in t or "实际值" in t or b.startswith("实际完成"):
        return "actual"
    if "分值" in t or "权重" in t:
        return "weight"
    if "得分" in t:
        return "score"
    if "原因" in t or "改进措施" in t:
        return "reason"
    return None


def _funds_field(label: Any) -> str | None:
    t, b = _norm(label), _base(label)
    if not t:
        return None
    if "年初预算" in t:
        return "budget_initial"
    if "全年预算" in t or "调整后预算" in t or b in ("预算数", "全年预算数"):
        return "budget_full_year"
    if "执行数" in t or b in ("实际支出", "全年支出数"):
        return "executed"
    if "执行率" in t:
        return "rate"
    if "分值" in t or "权重" in t:
        return "weight"
    if "得分" in t:
        return "score"
    if "原因" in t:
        return "reason"
    return None


_INDICATOR_REQUIRED = {"name": "三级指标", "target": "年度指标值（或指标值）", "actual": "实际完成值（或完成值）",
                       "weight": "分值（或权重）", "score": "得分"}


def _columns(labels: list[Any], classify) -> dict[str, int]:
    columns: dict[str, int] = {}
    for c, label in enumerate(labels):
        name = classify(label)
        if name and name not in columns:
            columns[name] = c
    return columns


def _find_indicator_header(sheet: _Sheet) -> tuple[int, int, dict[str, int]] | str:
    """(first header row, first data row, columns) or why none was found."""
    best_missing: list[str] | None = None
    for r, row in enumerate(sheet.spread):
        if not any("三级指标" in _norm(v) for v in row):
            continue
        labels = list(row)
        data_start = r + 1
        if r + 1 < len(sheet.spread):  # a second header row: 指标性质 | 指标值 | 度量单位 under 年度指标值
            below = sheet.spread[r + 1]
            if any(_indicator_field(v) in ("op", "unit") or _base(v) == "指标值" for v in below):
                labels = [b if _norm(b) and _norm(b) != _norm(a) else a
                          for a, b in zip(row, below + [None] * (len(row) - len(below)))]
                data_start = r + 2
        columns = _columns(labels, _indicator_field)
        missing = [label for key, label in _INDICATOR_REQUIRED.items() if key not in columns]
        if not missing:
            return r, data_start, columns
        if best_missing is None or len(missing) < len(best_missing):
            best_missing = missing
    if best_missing is None:
        return "没有含“三级指标”的表头行"
    return "表头缺少" + "、".join(f"“{m}”" for m in best_missing) + "列"


def _find_funds_header(sheet: _Sheet, before: int) -> tuple[int, dict[str, int]] | None:
    for r in range(before):
        columns = _columns(sheet.spread[r], _funds_field)
        if "budget_full_year" in columns and "executed" in columns:
            return r, columns
    return None


# --- Excel: one sheet ------------------------------------------------------------------------

_TOTAL_LABELS = ("总分", "合计", "总计", "得分合计", "合计得分", "综合得分", "自评得分")
_STOP_LABELS = ("评价结论", "存在问题", "存在的问题", "改进措施", "项目负责人", "财务负责人", "填表人", "填报人",
                "说明", "注：", "注:", "备注")
_GRADE_LABELS = ("等级", "评价等级", "自评等级", "绩效等级", "评定等级", "评价结果")
_UNIT_RE = re.compile(r"(?:[（(]\s*(?:单位[:：]\s*)?(万元|元)\s*[)）]|单位[:：]\s*(万元|元))")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_LEVEL1_SHORT = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标", "成本": "成本指标"}
_LEVEL2_SHORT = ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度",
                 "经济成本", "社会成本", "生态环境成本")
_OP_WORDS = {"正向": "≥", "正向指标": "≥", "反向": "≤", "反向指标": "≤"}
_QUALITATIVE_WORDS = ("定性", "定性指标")
_BLANKS = {"", "—", "——", "-", "--", "/", "无", "／"}


def _first_text(row: list[Any], upto: int | None = None) -> str:
    for value in row[:upto]:
        if _norm(value):
            return _norm(value)
    return ""


def _is_total_row(row: list[Any], upto: int) -> bool:
    return any(_base(v) in _TOTAL_LABELS for v in row[:max(upto, 1)])


def _right_of(row: list[Any], c: int) -> Any:
    """The first cell right of ``c`` that is not blank and not the label itself (merged)."""
    label = _norm(row[c])
    for value in row[c + 1:]:
        if _norm(value) and _norm(value) != label:
            return value
    return None


def _level(text: str, short: dict[str, str] | tuple[str, ...]) -> str:
    """Level-1/level-2 name without the printed weight ("产出指标（50分）" → "产出指标")."""
    base = _base(text)
    if isinstance(short, dict):
        return short.get(base, base)
    return base + "指标" if base in short else base


def _combine_target(op: Any, value: Any, unit: Any) -> str:
    """指标性质 | 指标值 | 度量单位 → one target string ("≥" + "95" + "%")."""
    op_text, value_text, unit_text = _text(op), _text(value), _text(unit)
    if unit_text in _BLANKS:
        unit_text = ""
    if value_text in _BLANKS:
        return value_text
    if op_text in _QUALITATIVE_WORDS:
        return value_text
    op_text = _OP_WORDS.get(op_text, op_text)
    if op_text in ("定量", "定量指标") or op_text in _BLANKS:
        op_text = ""
    if op_text and any(value_text.startswith(o) for o in OPERATORS):
        op_text = ""  # the value already carries its operator
    if unit_text and value_text.endswith(unit_text):
        unit_text = ""
    return op_text + value_text + unit_text


def _read_sheet(file: str, ws: Any, fws: Any) -> TableRead | str:
    sheet = _sheet_grid(ws, fws)
    found = _find_indicator_header(sheet)
    if isinstance(found, str):
        return found
    header_row, data_start, cols = found
    notes: list[str] = []
    where = f"工作表“{sheet.title}”"
    label_upto = min(v for k, v in cols.items() if k in ("target", "op")) if ("op" in cols or "target" in cols) else 1

    # Project header and year (rows above the first header).
    funds_header = _find_funds_header(sheet, header_row)
    top = funds_header[0] if funds_header else header_row
    project: dict[str, Any] = {}
    survey: dict[str, Any] = {}
    for r in range(top):
        row = sheet.spread[r]
        for c, value in enumerate(row):
            b = _base(value)
            if not _norm(value):
                continue
            if b == "项目名称" and "name" not in project:
                project["name"] = _text(_right_of(row, c))
            elif b in ("主管部门", "主管单位") and "department" not in project:
                project["department"] = _text(_right_of(row, c))
            elif b.startswith("实施单位") and "unit" not in project:
                project["unit"] = _text(_right_of(row, c))
            elif "year" not in project and any(w in _norm(value) for w in ("年度", "自评", "绩效")) \
                    and _YEAR_RE.search(_norm(value)):
                project["year"] = int(_YEAR_RE.search(_norm(value)).group(1))
    for key in ("name", "department", "unit"):
        if project.get(key) and any(_base(project[key]).startswith(x) for x in ("主管部门", "实施单位", "项目名称")):
            project[key] = ""  # the next cell was the next label: the value is blank

    # Funds block.
    funds = None
    if funds_header is not None:
        funds, unit_note = _read_funds(sheet, funds_header, header_row)
        if unit_note:
            notes.append(unit_note)

    # Indicator rows, up to the 总分 row or the closing rows.
    indicators: list[dict[str, Any]] = []
    total_row: int | None = None
    last_level1 = last_level2 = ""
    for r in range(data_start, len(sheet.spread)):
        row = sheet.spread[r]
        if _is_total_row(row, label_upto):
            total_row = r
            break
        first = _first_text(row, label_upto)
        if first.startswith(_STOP_LABELS) or _base(first).startswith(_STOP_LABELS):
            break
        if any("三级指标" in _norm(v) for v in row):  # a repeated header (table printed over pages)
            continue

        def cell(key: str, spread: bool = False) -> Any:
            c = cols.get(key)
            if c is None:
                return None
            if not spread and (r, c) in sheet.continued:
                return None
            return sheet.get(r, c)

        name = _text(cell("name"))
        if "op" in cols:
            target = _combine_target(cell("op"), cell("target"), cell("unit"))
        else:
            target = _text(cell("target"))
        actual = _text(cell("actual"))
        weight, score = cell("weight"), cell("score")
        if not (name or target or actual):
            if _norm(weight) or _norm(score):
                notes.append(f"{where}第{r + 1}行只有分值或得分、没有指标内容，视为小计行，未计入复核。")
            continue
        for key, what in (("weight", "分值"), ("score", "得分")):
            c = cols[key]
            if (r, c) in sheet.continued and sheet.get(r, c) is not None:
                notes.append(f"{where}第{r + 1}行的{what}单元格与上一行合并，按空白读取（合并的分数不重复计算）。")
        level1 = _level(_text(cell("level1", spread=True)), _LEVEL1_SHORT) or last_level1
        level2_raw = _level(_text(cell("level2", spread=True)), _LEVEL2_SHORT)
        level2 = level2_raw or (last_level2 if level1 == last_level1 else "")
        last_level1, last_level2 = level1, level2
        indicators.append({
            "level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": _cell_or_none(weight), "score": _cell_or_none(score),
            "deviation_reason": _reason(_text(cell("reason", spread=True))), "row": r + 1,
        })
    if not indicators:
        return f"第{header_row + 1}行是指标表头，但其下没有指标行"

    table: dict[str, Any] = {
        "source": file, "sheet": sheet.title, "project": project, "funds": funds, "indicators": indicators,
    }
    if total_row is not None:
        row = sheet.spread[total_row]
        label = _first_text(row, label_upto)
        for key, col in (("total_weight", cols["weight"]), ("published_total", cols["score"])):
            value = sheet.get(total_row, col)
            table[key] = None if _norm(value) == label else _cell_or_none(value)
    grade = _find_grade(sheet, total_row if total_row is not None else header_row)
    if grade:
        table["published_grade"] = grade
    for r in range(total_row if total_row is not None else data_start, len(sheet.spread)):
        for c, value in enumerate(sheet.spread[r]):
            b = _base(value)
            if b in ("样本量", "调查样本量", "有效样本量", "调查样本数", "有效问卷"):
                survey["sample_size"] = _cell_or_none(_right_of(sheet.spread[r], c))
            elif b in ("调查方式", "调查方法"):
                survey["method"] = _text(_right_of(sheet.spread[r], c))
    if survey:
        table["survey"] = survey
    try:
        return TableRead(PublishedTable.model_validate(table), notes)
    except ValidationError as exc:  # a cell of an unexpected type; should not happen
        raise InputError([Problem(file, f"工作表“{sheet.title}”", _pydantic_message(e)) for e in exc.errors()]) from None


def _cell_or_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _reason(text: str) -> str:
    return "" if text in _BLANKS else text


def _read_funds(sheet: _Sheet, found: tuple[int, dict[str, int]], stop: int) -> tuple[dict[str, Any], str]:
    header_row, cols = found
    first_col = min(cols.values())
    unit = None
    # The unit printed nearest the amounts wins: the header row (incl. a merged "项目资金（万元）"
    # label), then the title rows above it, nearest first.
    for r in [header_row, *range(header_row - 1, -1, -1)]:
        for value in sheet.spread[r]:
            m = _UNIT_RE.search(_norm(value))
            if m:
                unit = m.group(1) or m.group(2)
                break
        if unit:
            break
    note = ""
    if unit is None:
        unit = "万元"
        note = f"工作表“{sheet.title}”资金表未注明金额单位（元或万元），按万元读取；执行率不受单位影响。"
    data_row = None
    candidates = []
    for r in range(header_row + 1, stop):
        row = sheet.spread[r]
        label = "".join(_norm(v) for v in row[:first_col])
        if any(_indicator_field(v) == "name" for v in row) or "绩效指标" in label or "总体目标" in label:
            break
        values = [sheet.get(r, c) for c in (cols.get("budget_full_year"), cols.get("executed"))]
        if "其中" in label:  # the breakdown rows (当年财政拨款, 上年结转 …): the table is read from the total row
            continue
        if any(x in label for x in ("总额", "合计", "年度资金", "总计")):
            data_row = r
            break
        if any(v is not None for v in values):
            candidates.append(r)
    if data_row is None and candidates:
        data_row = candidates[0]
    funds: dict[str, Any] = {"amount_unit": unit}
    if data_row is None:
        return funds, note
    for key, c in cols.items():
        value = sheet.get(data_row, c)
        if key == "reason":
            funds[key] = _reason(_text(value))
        else:
            funds[key] = _cell_or_none(value)
    funds["row"] = data_row + 1
    return funds, note


def _find_grade(sheet: _Sheet, start: int) -> str:
    """The grade printed on or below the 总分 row: "等级：优" in one cell, or 评价等级 | 优."""
    for r in range(start, len(sheet.spread)):
        row = sheet.spread[r]
        for c, value in enumerate(row):
            t = _norm(value)
            m = re.match(r"^(?:自评|评价|绩效|评定)?等级[:：](\S{1,4})$", t)
            if m:
                return m.group(1)
            if _base(value) in _GRADE_LABELS:
                right = _right_of(row, c)
                if right is not None and len(_norm(right)) <= 4:
                    return _norm(right)
    return ""
