"""A grid of printed cells read as a 自评表 (:func:`read_sheet`), whatever form it came from: an
Excel sheet, a Word or web-page table, a PDF page. The form's reader builds the
:class:`~selfeval_lib.review.readers.excel_grid.Sheet` (values, merges spread); this module finds
the header rows, the funds block, the indicator rows, the 总分 row, the grade and the survey, in
the national (财预〔2020〕10号), Sichuan and Yunnan layouts.

Merged cells give their value to the cells they cover for labels, level-1/level-2 and the reason
column; a weight, score, target or actual cell covered by a vertical merge is read as blank (a
merged score must not count twice) and a note says so. Amounts stay in the unit the header names
(元 or 万元). Where the reader had to choose (amount unit not printed, subtotal rows skipped …)
it says so in :attr:`TableRead.notes`. A text cell holding a forbidden character (control
characters, U+FFFE/U+FFFF: :data:`~selfeval_lib.inputs.files.FORBIDDEN`) is refused with its
cell, as in every input.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from selfeval_lib.core.quantity import OPERATORS, is_blank_text
from selfeval_lib.core.vocabulary import LEVEL1_NAMES
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import char_label, forbidden_char
from selfeval_lib.inputs.messages import Problem, pydantic_message
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.excel_grid import (
    Sheet,
    base,
    find_funds_header,
    find_indicator_header,
    indicator_field,
    norm,
    or_none,
    right_of,
    text_of,
)
from selfeval_lib.review.readers.closing import (
    WEIGHT_IN_LABEL,
    find_grade,
    first_text,
    is_total_row,
    survey_of,
    total_cells,
)
from selfeval_lib.review.readers.texts import read_texts
from selfeval_lib.review.table import PublishedTable

_STOP_LABELS = ("评价结论", "自评结论", "存在问题", "存在的问题", "改进措施", "改进意见", "整改措施", "项目负责人",
                "财务负责人", "填表人", "填报人", "偏差大或目标未完成原因", "目标未完成原因", "未完成原因分析",
                "说明", "注：", "注:", "备注")
_UNIT_RE = re.compile(r"(?:[（(]\s*(?:单位[:：]\s*)?(万元|元)\s*[)）]|单位[:：]\s*(万元|元))")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
#: A 一级指标 as a table may print it short ("产出"), and 成本指标, a level 1 of some provincial templates.
_LEVEL1_SHORT = {name.removesuffix("指标"): name for name in (*LEVEL1_NAMES, "成本指标")}
_LEVEL2_SHORT = ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度",
                 "经济成本", "社会成本", "生态环境成本")
_OP_WORDS = {"正向": "≥", "正向指标": "≥", "反向": "≤", "反向指标": "≤"}
_QUALITATIVE_WORDS = ("定性", "定性指标")

# --- one sheet -------------------------------------------------------------------------------


def _level(text: str, short: dict[str, str] | tuple[str, ...]) -> str:
    """Level-1/level-2 name without the printed weight ("产出指标（50分）" → "产出指标")."""
    name = base(text)
    if isinstance(short, dict):
        return short.get(name, name)
    return name + "指标" if name in short else name


def _one_line(value: Any) -> str:
    """A target or actual cell's text on one line: a value a narrow cell printed over two lines
    (a paragraph, ``<br>`` or Alt+Enter: "≥1200⏎人", "2023年12⏎月") is one value."""
    return re.sub(r"[ \t]*\n\s*", "", text_of(value))


def _combine_target(op: Any, value: Any, unit: Any) -> str:
    """指标性质 | 指标值 | 度量单位 → one target string ("≥" + "95" + "%")."""
    op_text, value_text, unit_text = _one_line(op), _one_line(value), _one_line(unit)
    if is_blank_text(unit_text):
        unit_text = ""
    if is_blank_text(value_text):
        return value_text
    if op_text in _QUALITATIVE_WORDS:
        return value_text
    op_text = _OP_WORDS.get(op_text, op_text)
    if op_text in ("定量", "定量指标") or is_blank_text(op_text):
        op_text = ""
    if op_text and any(value_text.startswith(o) for o in OPERATORS):
        op_text = ""  # the value already carries its operator
    if unit_text and value_text.endswith(unit_text):
        unit_text = ""
    return op_text + value_text + unit_text


def _cell(sheet: Sheet, cols: dict[str, int], r: int, key: str, spread: bool = False) -> Any:
    """The value of field ``key`` on row ``r``; a cell a vertical merge covers below its first row
    is blank unless ``spread`` (labels and reasons take the merge's value)."""
    c = cols.get(key)
    if c is None:
        return None
    if not spread and (r, c) in sheet.continued:
        return None
    return sheet.get(r, c)


def _reason(text: str) -> str:
    return "" if is_blank_text(text) else text


def _project(sheet: Sheet, top: int) -> dict[str, Any]:
    """项目名称, 主管部门, 实施单位 and the year from the rows above row ``top`` (0-based)."""
    project: dict[str, Any] = {}
    for r in range(top):
        row = sheet.spread[r]
        for c, value in enumerate(row):
            b = base(value)
            if not norm(value):
                continue
            if b == "项目名称" and "name" not in project:
                project["name"] = text_of(right_of(row, c))
            elif b in ("主管部门", "主管单位") and "department" not in project:
                project["department"] = text_of(right_of(row, c))
            elif b.startswith("实施单位") and "unit" not in project:
                project["unit"] = text_of(right_of(row, c))
            elif "year" not in project and any(w in norm(value) for w in ("年度", "自评", "绩效")) \
                    and _YEAR_RE.search(norm(value)):
                project["year"] = int(_YEAR_RE.search(norm(value)).group(1))
    for key in ("name", "department", "unit"):
        if project.get(key) and any(base(project[key]).startswith(x) for x in ("主管部门", "实施单位", "项目名称")):
            project[key] = ""  # the next cell was the next label: the value is blank
    return project


_PLACE_RE = re.compile(r"^第\S+?(?:个表格|页(?:表\d+)?)$")


def place_of(sheet: Sheet) -> str:
    """Where the grid sits, for messages: "工作表“Sheet1”" for a worksheet, the reader's own name
    ("第3个表格", "第2–3页") for a table of a Word file, web page or PDF."""
    return sheet.title if _PLACE_RE.match(sheet.title) else f"工作表“{sheet.title}”"


def read_sheet(file: str, sheet: Sheet) -> TableRead | str:
    """The 自评表 on one grid, or why the grid is not one (Chinese). ``file`` names the source in
    problems and notes; ``sheet.title`` names the sheet, page or table within it."""
    found = find_indicator_header(sheet)
    if isinstance(found, str):
        return found
    _refuse_forbidden(file, sheet)
    header_row, data_start, cols = found
    notes: list[str] = []
    where = place_of(sheet)
    label_upto = min(v for k, v in cols.items() if k in ("target", "op")) if ("op" in cols or "target" in cols) else 1

    # Project header and year (rows above the first header), then the funds block.
    funds_header = find_funds_header(sheet, header_row)
    project = _project(sheet, funds_header[0] if funds_header else header_row)
    funds = None
    if funds_header is not None:
        funds, unit_note = _read_funds(sheet, funds_header, header_row)
        if unit_note:
            notes.append(unit_note)

    # Indicator rows, up to the 总分 row or the closing rows.
    indicators: list[dict[str, Any]] = []
    block_weights: dict[str, Any] = {}
    total_row: int | None = None
    end_row = len(sheet.spread)  # the first row after the indicator rows (总分 or a closing row)
    last_level1 = last_level2 = ""
    for r in range(data_start, len(sheet.spread)):
        row = sheet.spread[r]
        if is_total_row(row, label_upto):
            total_row = end_row = r
            break
        first = first_text(row, label_upto)
        if first.startswith(_STOP_LABELS) or base(first).startswith(_STOP_LABELS):
            end_row = r
            break
        if any("三级指标" in norm(v) for v in row):  # a repeated header (table printed over pages)
            continue

        def cell(key: str, spread: bool = False, r: int = r) -> Any:
            return _cell(sheet, cols, r, key, spread)

        name = text_of(cell("name"))
        if "op" in cols:
            target = _combine_target(cell("op"), cell("target"), cell("unit"))
        else:
            target = _one_line(cell("target"))
        actual = _one_line(cell("actual"))
        weight, score = cell("weight"), cell("score")
        share, item = cell("weight_share"), cell("item_score")
        if sheet.unruled and indicators and _continues_name(sheet, cols, r, indicators[-1]):
            indicators[-1]["name"] += name  # a long name the PDF printed over two lines, not a row of its own
            notes.append(f"{where}第{r + 1}行只有三级指标名称的一段文字，是第{r}行名称的换行，并入该行。")
            continue
        if not (name or target or actual):
            if norm(weight) or norm(score) or norm(share) or norm(item):
                notes.append(f"{where}第{r + 1}行只有分值或得分、没有指标内容，视为小计行，未计入复核。")
            continue
        for key, what in (("weight", "分值"), ("weight_share", "权重占比"), ("score", "得分"), ("item_score", "单项得分")):
            c = cols.get(key)
            if key == "score" and "weight" not in cols and "weight_share" not in cols:
                continue  # no weights: a merged score is the score of a block of rows (score_span)
            if c is not None and (r, c) in sheet.continued and sheet.get(r, c) is not None:
                notes.append(f"{where}第{r + 1}行的{what}单元格与上一行合并（合并的分数不重复计算）。")
        level1_text = text_of(cell("level1", spread=True))
        level1 = _level(level1_text, _LEVEL1_SHORT) or last_level1
        if (m := WEIGHT_IN_LABEL.search(norm(level1_text))) and level1 not in block_weights:
            block_weights[level1] = m.group(1)
        level2_raw = _level(text_of(cell("level2", spread=True)), _LEVEL2_SHORT)
        level2 = level2_raw or (last_level2 if level1 == last_level1 else "")
        last_level1, last_level2 = level1, level2
        indicators.append({
            "level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": or_none(weight), "score": or_none(score), "weight_share": or_none(share), "item_score": or_none(item),
            "deviation_reason": _reason(text_of(cell("reason", spread=True))), "row": r + 1,
            "score_span": _rows_merged(sheet, r, cols.get("score")),
            "weight_span": _rows_merged(sheet, r, cols.get("weight")),
        })
    if not indicators:
        return f"第{header_row + 1}行是指标表头，但其下没有指标行"

    table: dict[str, Any] = {
        "source": file, "sheet": sheet.title, "project": project, "funds": funds, "indicators": indicators,
    }
    if "weight" not in cols and "weight_share" not in cols:
        table["indicator_weights"] = False
        notes.append(f"{where}的指标表没有分值（权重）列，各三级指标的分值未列出"
                     + ("，各一级指标的分值按其单元格所印读取。" if block_weights else "。"))
    else:
        for ind in indicators:  # a score merged over rows with blank 分值 of their own: read as blank below
            if ind["score_span"] > 1 and ind["weight_span"] != ind["score_span"] and any(
                    i["weight"] is None for i in indicators if ind["row"] <= i["row"] < ind["row"] + ind["score_span"]):
                ind["score_span"] = 1
    if block_weights:
        table["block_weights"] = block_weights
    if total_row is not None:
        table.update(total_cells(sheet, total_row, cols, label_upto))
    elif end_row == len(sheet.spread):
        table["ends_open"] = True
        notes.append(f"{where}在第{end_row}行的指标行之后结束，没有总分行，表格可能不完整（缺少续表或页面）：分值合计和总分未复核。")
    texts = read_texts(sheet, header_row, end_row)
    if texts:
        table["texts"] = texts
    grade = find_grade(sheet, total_row if total_row is not None else header_row)
    if grade:
        table["published_grade"] = grade
    survey = survey_of(sheet, total_row if total_row is not None else data_start)
    if survey:
        table["survey"] = survey
    try:
        return TableRead(PublishedTable.model_validate(table), notes)
    except ValidationError as exc:  # a cell of an unexpected type; should not happen
        raise InputError([Problem(file, place_of(sheet), pydantic_message(e)) for e in exc.errors()]) from None


def _continues_name(sheet: Sheet, cols: dict[str, int], r: int, previous: dict[str, Any]) -> bool:
    """Row ``r`` (0-based) of a table printed without rules is the second line of the name of the
    indicator on the row above: it prints text in the 三级指标 column only (not "其中…", not a
    placeholder), no 一级/二级指标 of its own, nothing in any other column. (A ruled table keeps
    such a row: a row of its own left blank.)"""
    if previous["row"] != r or len(previous["name"]) < 6:
        return False
    name_col = cols["name"]
    text = text_of(sheet.grid[r][name_col]) if name_col < len(sheet.grid[r]) else ""
    if not text or (r, name_col) in sheet.continued or text.startswith("其中") or is_blank_text(text) \
            or re.fullmatch(r"[.…。·．、\s]+", text):
        return False
    for key, c in cols.items():
        if key == "name" or c >= len(sheet.grid[r]):
            continue
        if key in ("level1", "level2", "reason"):
            if sheet.grid[r][c] is not None and (r, c) not in sheet.continued:
                return False
        elif sheet.grid[r][c] is not None or ((r, c) in sheet.continued and key not in ("score", "weight")):
            return False
    return True


def _rows_merged(sheet: Sheet, r: int, c: int | None) -> int:
    """How many rows the cell at (r, c) covers (1, or the height of a vertical merge starting there)."""
    if c is None or (r, c) in sheet.continued:
        return 1
    n = 1
    while r + n < len(sheet.spread) and (r + n, c) in sheet.continued:
        n += 1
    return n


def _refuse_forbidden(file: str, sheet: Sheet) -> None:
    """InputError naming every text cell (at most 10) that holds a forbidden character."""
    from openpyxl.utils import get_column_letter as column_letter

    problems = []
    for r, row in enumerate(sheet.grid):
        for c, value in enumerate(row):
            found = forbidden_char(value) if isinstance(value, str) else None
            if found and len(problems) < 10:
                problems.append(Problem(file, f"{sheet.title}!{column_letter(c + 1)}{r + 1}",
                                        f"第 {found[0] + 1} 个字符是不允许的字符 {char_label(found[1])}：请删除该字符后再复核"))
    if problems:
        raise InputError(problems)


def _read_funds(sheet: Sheet, found: tuple[int, dict[str, int]], stop: int) -> tuple[dict[str, Any], str]:
    """The funds row (the 总额/合计 row, else the first row with amounts) above row ``stop`` and a
    note when the amount unit (元 or 万元) is not printed."""
    header_row, cols = found
    first_col = min(cols.values())
    unit = None
    # The unit printed nearest the amounts wins: the header row (incl. a merged "项目资金（万元）"
    # label), then the title rows above it, nearest first.
    for r in [header_row, *range(header_row - 1, -1, -1)]:
        for value in sheet.spread[r]:
            m = _UNIT_RE.search(norm(value))
            if m:
                unit = m.group(1) or m.group(2)
                break
        if unit:
            break
    note = ""
    if unit is None:
        unit = "万元"
        note = f"{place_of(sheet)}资金表未注明金额单位（元或万元），按万元读取；执行率不受单位影响。"
    data_row = None
    candidates: list[int] = []
    lines: list[int] = []
    in_breakdown = False
    for r in range(header_row + 1, stop):
        row = sheet.spread[r]
        label = "".join(norm(v) for v in row[:first_col])
        if any(indicator_field(v) == "name" for v in row) or "绩效指标" in label or "目标" in label:
            break  # the goal block (年度总体目标, 项目年度目标 | 年度目标完成情况) or the indicators begin
        values = [sheet.get(r, c) for c in (cols.get("budget_full_year"), cols.get("executed"))]
        if "其中" in label:  # the breakdown rows (其中：当年财政拨款, 上年结转资金, 其他资金 …)
            in_breakdown = True
            lines.append(r)
        elif data_row is None and any(x in label for x in ("总额", "合计", "年度资金", "总计")):
            data_row, in_breakdown = r, False
        elif in_breakdown and _line_label(sheet, r, first_col):
            lines.append(r)
        elif data_row is None and any(v is not None for v in values):
            candidates.append(r)
    if data_row is None and candidates:
        data_row = candidates[0]
    funds: dict[str, Any] = {"amount_unit": unit}
    if "weight" not in cols:  # 预算执行情况（万元）（20分）, 得分（20分*执行率）: the weight printed in the header
        printed = [m.group(1) for v in sheet.spread[header_row] if (m := WEIGHT_IN_LABEL.search(norm(v))) and m.group(1)]
        if printed:
            funds["weight"] = printed[0]
            header_note = f"{place_of(sheet)}资金表没有分值列，预算执行率分值按表头所印{printed[0]}分读取。"
            note = f"{note}{header_note}" if note else header_note
    if lines:
        funds["breakdown"] = [_funds_line(sheet, r, cols, first_col) for r in lines]
    if data_row is None:
        return funds, note
    for key, c in cols.items():
        value = sheet.get(data_row, c)
        if key == "reason":
            funds[key] = _reason(text_of(value))
        else:
            funds[key] = or_none(value)
    funds["row"] = data_row + 1
    return funds, note


def _line_label(sheet: Sheet, r: int, first_col: int) -> str:
    """The label of a funds row: its last label cell not spread from a merge above, without 其中："""
    labels = [text_of(sheet.get(r, c)) for c in range(first_col) if (r, c) not in sheet.continued and norm(sheet.get(r, c))]
    label = labels[-1] if labels else ""
    return re.sub(r"^其中\s*[:：]?\s*", "", label).strip()


def _funds_line(sheet: Sheet, r: int, cols: dict[str, int], first_col: int) -> dict[str, Any]:
    """One 其中 row: its label and the amounts of the funds columns."""
    line: dict[str, Any] = {"label": _line_label(sheet, r, first_col), "row": r + 1}
    for key in ("budget_initial", "budget_full_year", "executed", "rate"):
        if key in cols:
            line[key] = or_none(sheet.get(r, cols[key]))
    return line


