"""The 自评表 as a pure model of cells and merged ranges, written once and shown three ways:
the Excel sheet (:mod:`selfeval_lib.render.xlsx_layouts`), the 附件 of the HTML/PDF report
(:mod:`selfeval_lib.render.html`) and of the Word report (:mod:`selfeval_lib.render.docx`).

:func:`self_table` builds, for the rule set's layout (docs/rules.md §1), the table's title,
then cell by cell in sheet coordinates (row 1 is the title, columns from 1): the header block,
the funds block (万元), 年度总体目标, the indicators (一级/二级指标 merged), 总分, the 满意度调查
(样本量 and 调查方式, so a reader of the table sees the basis of a high 满意度, docs/rules.md §7.7)
and, for the Sichuan layout, 评价结论 / 存在问题 / 改进措施 and the signatures. A cell holds its value (a
number in the unit its ``kind`` names, or text), and for the table's arithmetic the spreadsheet
formula whose result the value is. :func:`display` formats a value as the sheet's number format
shows it, so the HTML, Word and Excel tables show the same figures.

:func:`signature` gives the report's 落款 (unit and date, never the run's clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.quantity import Blank, Quantity, Text, TimePoint, parse_value, unit_factor
from selfeval_lib.report.table_texts import closing_texts, completion_summary, fit_text

Kind = Literal["text", "amount", "rate", "score"]

NATIONAL_FUNDS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
NATIONAL_SOURCES = ("其中：当年财政拨款", "上年结转资金", "其他资金")
NATIONAL_INDICATORS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                       "偏差原因分析及改进措施")
SICHUAN_FUNDS = ("年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分")
SICHUAN_SOURCES = ("其中：财政拨款", "其他资金")
SICHUAN_INDICATORS = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
                      "未完成原因分析")
SICHUAN_CLOSING = ("评价结论", "存在问题", "改进措施")
#: The Sichuan table's rule for its closing rows: each text at most this many characters.
SICHUAN_CLOSING_LIMIT = 200
#: Columns of each layout.
NCOLS = {"national": len(NATIONAL_INDICATORS), "sichuan": len(SICHUAN_INDICATORS)}


@dataclass(frozen=True)
class Cell:
    """One cell, spanning to (``to_row``, ``to_col``); ``formula`` (when set) has ``value`` as its result."""

    row: int
    col: int
    value: Any
    to_row: int
    to_col: int
    header: bool = False
    left: bool = False
    kind: Kind = "text"
    formula: str | None = None
    bold: bool = False
    note: str = ""


@dataclass(frozen=True)
class Merge:
    """A merged range over cells already written (the 一级/二级指标 runs)."""

    row: int
    col: int
    to_row: int
    to_col: int


@dataclass(frozen=True)
class SelfTable:
    """The whole 自评表: title, cells and merges in writing order, and where its parts are."""

    layout: str
    title: str
    ncols: int
    items: tuple[Cell | Merge, ...]
    indicator_header_row: int
    first_indicator_row: int
    last_row: int
    signature_row: int | None = None

    def spans(self) -> dict[tuple[int, int], tuple[Cell, int, int]]:
        """(row, col) of each shown cell → (cell, rowspan, colspan); covered cells are absent."""
        cells: dict[tuple[int, int], Cell] = {}
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for item in self.items:
            if isinstance(item, Cell):
                cells[(item.row, item.col)] = item
            spans[(item.row, item.col)] = (item.to_row - item.row + 1, item.to_col - item.col + 1)
        covered = {(r, c) for (r0, c0), (rs, cs) in spans.items() for r in range(r0, r0 + rs)
                   for c in range(c0, c0 + cs) if (r, c) != (r0, c0)}
        return {pos: (cells[pos], *spans[pos]) for pos in sorted(cells) if pos not in covered and pos[0] > 1}


def column_letter(col: int) -> str:
    """1 → "A" (the layouts have fewer than 27 columns)."""
    return chr(ord("A") + col - 1)


def ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def display(cell: Cell) -> str:
    """The cell's value as the sheet shows it: 万元 and scores with two decimals, rates as 0.00%."""
    value = cell.value
    if value is None:
        return ""
    if cell.kind != "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt.percent(float(value)) if cell.kind == "rate" else fmt.score(float(value))
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def split_target(target: str) -> tuple[str, Any, str]:
    """年度指标值 → (指标性质, 指标值, 度量单位) as the Sichuan table prints them.

    "≥95%" → ("≥", 95, "%"); "≦8.62万元" → ("≤", 8.62, "万元"); "2023年11月底前" →
    ("≤", "2023年11月底前", ""); a text target → ("定性", text, "").
    """
    value = parse_value(target)
    if isinstance(value, Quantity):
        number = Decimal(repr(value.value)) / Decimal(repr(unit_factor(value.unit)))
        number = number.quantize(Decimal("1e-10")).normalize()
        shown: Any = int(number) if number == number.to_integral_value() else float(number)
        return (value.op or "=", shown, value.unit)
    if isinstance(value, TimePoint):
        return (value.op or "=", target, "")
    if isinstance(value, Text):
        return ("定性", target, "")
    assert isinstance(value, Blank)
    return ("", "", "")


def signature(ev: Evaluation) -> tuple[str, str]:
    """The 落款: (unit, date as 2024年3月1日). The date is the params' ``project.report_date``
    when given, else a blank date (full-width spaces) to fill in by hand; never the clock of the
    run."""
    project = ev.project_year.project
    if project.report_date is not None:
        return project.unit, fmt.chinese_date(project.report_date)
    return project.unit, "　　年　　月　　日"


# --- the table -----------------------------------------------------------------------------
class _Builder:
    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self.items: list[Cell | Merge] = []

    def put(self, row: int, col: int, value: Any, *, to_col: int | None = None, to_row: int | None = None,
            **kw: Any) -> str:
        self.items.append(Cell(row, col, value, to_row or row, to_col or col, **kw))
        return ref(row, col)


def _header_block(b: _Builder, ev: Evaluation, split: int) -> int:
    p = ev.project_year.project
    b.put(2, 1, "项目名称", header=True)
    b.put(2, 2, p.name, to_col=b.ncols, left=True)
    b.put(3, 1, "主管部门", header=True)
    b.put(3, 2, p.department, to_col=split - 1, left=True)
    b.put(3, split, "实施单位", header=True)
    b.put(3, split + 1, p.unit, to_col=b.ncols, left=True)
    return 4


def _funds_keys(headers: tuple[str, ...]) -> tuple[str, ...]:
    """Header names in the order initial, full-year, executed, weight, rate, score."""
    by_meaning = (("年初预算数", "年初预算"), ("全年预算数", "调整后预算数"), ("全年执行数", "预算执行数"),
                  ("分值", "权重"), ("执行率", "预算执行率"), ("得分",))
    return tuple(next(h for h in headers if h in names) for names in by_meaning)


def _funds_block(b: _Builder, ev: Evaluation, row: int, headers: tuple[str, ...], sources: tuple[str, ...],
                 reason_col: int | None) -> tuple[int, str, str]:
    """The funds block (万元); returns the next row and the execution weight and score cells."""
    f = ev.funds
    last = row + 1 + len(sources)
    b.put(row, 1, "项目资金\n（万元）", to_row=last, header=True)
    b.put(row, 2, "", header=True)
    col = {}
    for i, name in enumerate(headers):
        b.put(row, 3 + i, name, header=True)
        col[name] = 3 + i
    if reason_col is not None:
        b.put(row, reason_col, "原因", to_col=b.ncols, header=True)
    initial, full, executed, weight, rate, score = (col[h] for h in _funds_keys(headers))
    r = row + 1
    b.put(r, 2, "年度资金总额", header=True)
    amounts = {initial: fmt.wan_number(f.budget_initial), full: fmt.wan_number(f.budget_full_year),
               executed: fmt.wan_number(f.executed)}
    for c, v in amounts.items():
        b.put(r, c, v, kind="amount")
    weight_ref = b.put(r, weight, ev.execution_weight, kind="score")
    b.put(r, rate, f.execution_rate, kind="rate", formula=f"=IF({ref(r, full)}=0,0,{ref(r, executed)}/{ref(r, full)})")
    score_ref = b.put(r, score, ev.execution_score, kind="score", formula=f"=MIN({ref(r, rate)},1)*{weight_ref}")
    if reason_col is not None:
        b.put(r, reason_col, ev.project_year.funds.execution_shortfall_reason, to_col=b.ncols, left=True)
    source = ev.project_year.project.funding_source
    for i, label in enumerate(sources):
        r = row + 2 + i
        note = (f"资金来源未分列，全部按当年财政拨款填列（资金来源：{source}）。" if i == 0
                else "资金来源未分列，此行不填。")
        b.put(r, 2, label, header=True, note=note)
        for c in (initial, full, executed):
            b.put(r, c, amounts[c] if i == 0 else None, kind="amount")
        for c in (weight, rate, score):
            b.put(r, c, "—")
        if reason_col is not None:
            b.put(r, reason_col, "", to_col=b.ncols)
    return last + 1, weight_ref, score_ref


def _goal_block(b: _Builder, ev: Evaluation, row: int, split: int) -> int:
    b.put(row, 1, "年度总体目标", to_row=row + 1, header=True)
    b.put(row, 2, "预期目标", to_col=split - 1, header=True)
    b.put(row, split, "实际完成情况", to_col=b.ncols, header=True)
    b.put(row + 1, 2, ev.project_year.project.overall_goal, to_col=split - 1, left=True)
    b.put(row + 1, split, completion_summary(ev), to_col=b.ncols, left=True)
    return row + 2


def _indicators(b: _Builder, ev: Evaluation, row: int, layout: str) -> int:
    headers = NATIONAL_INDICATORS if layout == "national" else SICHUAN_INDICATORS
    for c, name in enumerate(headers, start=1):
        b.put(row, c, name, header=True)
    first = row + 1
    for i, s in enumerate(ev.indicators):
        actual = s.actual or ""  # a missing actual is asked for once, in the report's 四
        if layout == "national":
            values: list[tuple[Any, Kind, bool]] = [(s.target, "text", False), (actual, "text", False)]
        else:
            nature, value, unit = split_target(s.target)
            values = [(nature, "text", False), (value, "text", False), (unit, "text", False), (actual, "text", False)]
        cells = [(s.level1, "text", False), (s.level2, "text", False), (s.name, "text", True), *values,
                 (s.weight, "score", False), (s.score, "score", False), (s.deviation_reason, "text", True)]
        for c, (value, kind, left) in enumerate(cells, start=1):
            b.put(first + i, c, value, kind=kind, left=left)
    for col, keys in ((1, [s.level1 for s in ev.indicators]), (2, [(s.level1, s.level2) for s in ev.indicators])):
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if i - 1 > start:
                    b.items.append(Merge(first + start, col, first + i - 1, col))
                start = i
    return first


def _survey_row(b: _Builder, ev: Evaluation, row: int) -> int:
    """满意度调查 | 样本量 | n | 调查方式 | method（调查时间）after ``row`` when the params hold a survey;
    the last row written. A part the params lack stays blank (the review then sees no basis)."""
    survey = ev.project_year.survey
    if survey is None:
        return row
    row += 1
    b.put(row, 1, "满意度调查", header=True)
    b.put(row, 2, "样本量", header=True)
    b.put(row, 3, survey.sample_size)
    b.put(row, 4, "调查方式", header=True)
    when = f"（调查时间{fmt.chinese_date(survey.date)}）" if survey.date and survey.method.strip() else ""
    b.put(row, 5, survey.method.strip() + when, to_col=b.ncols, left=True)
    return row


def self_table(ev: Evaluation, closing: dict[str, str], layout: str | None = None) -> SelfTable:
    """The 自评表 of ``ev`` in ``layout`` (default: the rule set's ``table_layout``); ``closing``
    is the narrative's plain texts for the Sichuan closing rows (:func:`closing_texts`)."""
    layout = layout or ev.rules.table_layout
    national = layout == "national"
    b = _Builder(NCOLS[layout])
    p = ev.project_year.project
    title = f"项目支出绩效自评表（{p.year}年度）"
    b.put(1, 1, title, to_col=b.ncols)
    row = _header_block(b, ev, split=5 if national else 6)
    row, exec_weight, exec_score = _funds_block(
        b, ev, row, NATIONAL_FUNDS if national else SICHUAN_FUNDS,
        NATIONAL_SOURCES if national else SICHUAN_SOURCES, None if national else 9)
    row = _goal_block(b, ev, row, split=6 if national else 7)
    header_row = row
    first = _indicators(b, ev, row, layout)
    row = first + len(ev.indicators)
    weight_col, score_col = (6, 7) if national else (8, 9)
    w, s = column_letter(weight_col), column_letter(score_col)
    b.put(row, 1, "总分", to_col=weight_col - 1, header=True)
    total_weight = ev.execution_weight + sum(x.weight for x in ev.indicators)
    b.put(row, weight_col, total_weight, kind="score", bold=True,
          formula=f"=SUM({w}{first}:{w}{row - 1})+{exec_weight}")
    b.put(row, score_col, ev.total, kind="score", bold=True, formula=f"=SUM({s}{first}:{s}{row - 1})+{exec_score}")
    b.put(row, score_col + 1, f"等级：{ev.grade}", to_col=b.ncols, bold=True)
    row = _survey_row(b, ev, row)
    signature_row = None
    if not national:
        for label, text in closing_texts(closing, SICHUAN_CLOSING_LIMIT).items():
            row += 1
            b.put(row, 1, label, header=True)
            b.put(row, 2, text, to_col=b.ncols, left=True)
        row += 1
        b.put(row, 1, "项目负责人", header=True)
        b.put(row, 2, None, to_col=5)
        b.put(row, 6, "财务负责人", header=True)
        b.put(row, 7, None, to_col=b.ncols)
        signature_row = row
    return SelfTable(layout, title, b.ncols, tuple(b.items), header_row, first, row, signature_row)


__all__ = ["Cell", "Merge", "SelfTable", "closing_texts", "completion_summary", "display", "fit_text",
           "self_table", "signature", "split_target"]
