"""The 自评表's two table layouts (docs/rules.md §1), the texts they print, and the layout a rule
set chooses (:func:`layout_name`).

``"national"`` is the 财预〔2020〕10号 table: funds block 年初预算数 | 全年预算数 | 全年执行数 |
分值 | 执行率 | 得分, indicators 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 |
偏差原因分析及改进措施. ``"sichuan"`` is the 部门预算 table: 年初预算 | 调整后预算数 | 预算执行数 |
预算执行率 | 权重 | 得分 | 原因; the target split into 指标性质 | 指标值 | 度量单位; closing rows
评价结论 / 存在问题 / 改进措施 (each at most :data:`SICHUAN_CLOSING_LIMIT` characters) and the two
signatures. Amounts are in 万元.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.quantity import (
    Blank,
    Quantity,
    Text,
    TimePoint,
    parse_value,
    unit_factor,
)
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.render.htmlblocks import plain_text
from selfeval_lib.render.xlsx_sheet import (
    AMOUNT,
    BOLD,
    CENTER,
    LEFT,
    RATE,
    SCORE,
    TITLE,
    Sheet,
    wan,
)
from selfeval_lib.report.narrative import advice, indicator_summary, render_narrative


@dataclass(frozen=True)
class Layout:
    """A table layout: its name, what it is, the column widths (characters) and its writer."""

    name: str
    description: str
    widths: tuple[float, ...]
    write: Callable[[Sheet, Evaluation], None]


# --- text built from the evaluation --------------------------------------------------------
def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending with "…" when cut; a numbered list ("1. … 2. …") is
    cut before its first item that does not fit whole."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    starts = [m.start() for m in re.finditer(r" \d+\. ", cut)]
    return (cut[: starts[-1]] if starts else cut) + "…"


def completion_summary(ev: Evaluation) -> str:
    """实际完成情况 of the 年度总体目标: funds, indicators reached, total and grade."""
    f = ev.funds
    s = indicator_summary(ev)
    if s.full == s.total:
        reached = f"绩效指标{s.total}项全部达到年度指标值"
    else:
        names = "、".join(f"“{x.name}”" for x in s.shortfalls)
        reached = f"绩效指标{s.total}项中{s.full}项达到年度指标值，{s.total - s.full}项未达到（{names}）"
    return (f"全年预算数{fmt.wan(f.budget_full_year)}，全年执行数{fmt.wan(f.executed)}，"
            f"预算执行率{fmt.percent(f.execution_rate)}；{reached}；"
            f"自评总分{fmt.score(ev.total)}分，等级为“{ev.grade}”。")


def closing_texts(ev: Evaluation, limit: int) -> dict[str, str]:
    """评价结论 / 存在问题 / 改进措施 from the report's own narrative, each at most ``limit``
    characters (:func:`truncate`)."""
    text = render_narrative(ev)
    if advice(ev):
        measures = text["suggestions"]
    else:
        measures = "<p>继续保持现有管理做法。</p>"
    return {
        "评价结论": truncate(plain_text(text["conclusion"]), limit),
        "存在问题": truncate(plain_text(text["problems"]), limit),
        "改进措施": truncate(plain_text(measures), limit),
    }


def split_target(target: str) -> tuple[str, Any, str]:
    """年度指标值 → (指标性质, 指标值, 度量单位) as the Sichuan table prints them.

    "≥95%" → ("≥", 95, "%"); "≦8.62万元" → ("≤", 8.62, "万元"); "2023年11月底前" →
    ("≤", "2023年11月底前", ""); a text target → ("定性", text, ""). The number is the one
    written, in the written unit (``Quantity.value`` is in base units).
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


# --- blocks shared by the layouts ----------------------------------------------------------
def _title(sh: Sheet, ev: Evaluation) -> None:
    year = ev.project_year.project.year
    sh.put(1, 1, f"项目支出绩效自评表（{year}年度）", to_col=sh.ncols, font=TITLE, border=False)
    sh.ws.row_dimensions[1].height = 32


def _header_block(sh: Sheet, ev: Evaluation, split: int) -> int:
    """项目名称 / 主管部门 / 实施单位 from row 2; ``split`` is the column of 实施单位."""
    p = ev.project_year.project
    sh.put(2, 1, "项目名称", header=True)
    sh.put(2, 2, p.name, to_col=sh.ncols, align=LEFT)
    sh.put(3, 1, "主管部门", header=True)
    sh.put(3, 2, p.department, to_col=split - 1, align=LEFT)
    sh.put(3, split, "实施单位", header=True)
    sh.put(3, split + 1, p.unit, to_col=sh.ncols, align=LEFT)
    return 4


def _funds_block(sh: Sheet, ev: Evaluation, row: int, headers: tuple[str, ...], sub_rows: tuple[str, ...],
                 reason_col: int | None) -> tuple[int, str]:
    """The funds block (万元) from ``row``; returns the next row and the execution-score cell.

    ``headers`` are the six value columns from column C: initial, full-year, executed, then
    分值/执行率/得分 in the layout's order (given by the header names); ``reason_col`` is the
    column of 原因 (Sichuan) or None.
    """
    f = ev.funds
    last = row + 1 + len(sub_rows)
    sh.put(row, 1, "项目资金\n（万元）", to_row=last, header=True)
    sh.put(row, 2, "", header=True)
    col = {}
    for i, name in enumerate(headers):
        sh.put(row, 3 + i, name, header=True)
        col[name] = 3 + i
    if reason_col is not None:
        sh.put(row, reason_col, "原因", to_col=sh.ncols, header=True)
    initial, full, executed, weight, rate, score = (col[h] for h in _funds_keys(headers))
    r = row + 1
    sh.put(r, 2, "年度资金总额", header=True)
    amounts = {initial: wan(f.budget_initial), full: wan(f.budget_full_year), executed: wan(f.executed)}
    for c, v in amounts.items():
        sh.put(r, c, v, number_format=AMOUNT)
    sh.put(r, weight, ev.execution_weight, number_format=SCORE)
    full_ref, exec_ref, rate_ref, weight_ref = sh.ref(r, full), sh.ref(r, executed), sh.ref(r, rate), sh.ref(r, weight)
    sh.put(r, rate, f"=IF({full_ref}=0,0,{exec_ref}/{full_ref})", number_format=RATE, cached=f.execution_rate)
    score_ref = sh.put(r, score, f"=MIN({rate_ref},1)*{weight_ref}", number_format=SCORE, cached=ev.execution_score)
    if reason_col is not None:
        sh.put(r, reason_col, ev.project_year.funds.execution_shortfall_reason, to_col=sh.ncols, align=LEFT)
    source = ev.project_year.project.funding_source
    for i, label in enumerate(sub_rows):
        r = row + 2 + i
        cell = sh.ws.cell(row=r, column=2)
        sh.put(r, 2, label, header=True)
        for c in (initial, full, executed):
            if i == 0:  # no split of the sources in the data: all counted as this year's appropriation
                sh.put(r, c, amounts[c], number_format=AMOUNT)
            else:
                sh.put(r, c, None, number_format=AMOUNT)
        for c in (weight, rate, score):
            sh.put(r, c, "—")
        if reason_col is not None:
            sh.put(r, reason_col, "", to_col=sh.ncols)
        cell.comment = Comment(
            xml_text(f"参数未分列资金来源，全部按当年财政拨款填列（资金来源：{source}）。" if i == 0
                     else "参数未分列资金来源，此行不填。"), "selfeval", width=260, height=70)
    return last + 1, score_ref


def _funds_keys(headers: tuple[str, ...]) -> tuple[str, ...]:
    """Header names in the order initial, full-year, executed, weight, rate, score."""
    by_meaning = {
        "initial": ("年初预算数", "年初预算"), "full": ("全年预算数", "调整后预算数"),
        "executed": ("全年执行数", "预算执行数"), "weight": ("分值", "权重"),
        "rate": ("执行率", "预算执行率"), "score": ("得分",),
    }
    return tuple(next(h for h in headers if h in names) for names in by_meaning.values())


def _goal_block(sh: Sheet, ev: Evaluation, row: int, split: int) -> int:
    """年度总体目标: 预期目标 (overall goal) | 实际完成情况 (summary); ``split`` starts the latter."""
    sh.put(row, 1, "年度总体目标", to_row=row + 1, header=True)
    sh.put(row, 2, "预期目标", to_col=split - 1, header=True)
    sh.put(row, split, "实际完成情况", to_col=sh.ncols, header=True)
    sh.put(row + 1, 2, ev.project_year.project.overall_goal, to_col=split - 1, align=LEFT)
    sh.put(row + 1, split, completion_summary(ev), to_col=sh.ncols, align=LEFT)
    return row + 2


def _merge_levels(sh: Sheet, ev: Evaluation, first: int) -> None:
    """Merge consecutive equal 一级指标 (column A) and, inside them, 二级指标 (column B)."""
    keys1 = [s.level1 for s in ev.indicators]
    keys2 = [(s.level1, s.level2) for s in ev.indicators]
    for col, keys in ((1, keys1), (2, keys2)):
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if i - 1 > start:
                    sh.ws.merge_cells(start_row=first + start, start_column=col, end_row=first + i - 1, end_column=col)
                start = i


def _indicator_rows(sh: Sheet, ev: Evaluation, row: int, headers: tuple[str, ...],
                    cells: Callable[[Any], list[tuple[Any, str | None, Alignment]]]) -> tuple[int, int]:
    """Header row and one row per indicator; returns (first indicator row, next row)."""
    for c, name in enumerate(headers, start=1):
        sh.put(row, c, name, header=True)
    first = row + 1
    for i, s in enumerate(ev.indicators):
        for c, (value, number_format, align) in enumerate(cells(s), start=1):
            sh.put(first + i, c, value, number_format=number_format, align=align)
    _merge_levels(sh, ev, first)
    sh.ws.print_title_rows = f"{row}:{row}"
    return first, first + len(ev.indicators)


def _total_row(sh: Sheet, ev: Evaluation, row: int, first: int, last: int, weight_col: int, score_col: int,
               exec_weight_ref: str, exec_score_ref: str) -> int:
    """总分 row: Σ 分值 + 执行率分值, Σ 得分 + 执行率得分, and the grade."""
    sh.put(row, 1, "总分", to_col=weight_col - 1, header=True)
    w, s = get_column_letter(weight_col), get_column_letter(score_col)
    total_weight = ev.execution_weight + sum(x.weight for x in ev.indicators)
    sh.put(row, weight_col, f"=SUM({w}{first}:{w}{last})+{exec_weight_ref}", number_format=SCORE,
           cached=total_weight, font=BOLD)
    sh.put(row, score_col, f"=SUM({s}{first}:{s}{last})+{exec_score_ref}", number_format=SCORE,
           cached=ev.total, font=BOLD)
    sh.put(row, score_col + 1, f"等级：{ev.grade}", to_col=sh.ncols, font=BOLD)
    return row + 1


# --- the layouts ---------------------------------------------------------------------------
NATIONAL_FUNDS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
NATIONAL_SOURCES = ("其中：当年财政拨款", "上年结转资金", "其他资金")
NATIONAL_INDICATORS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def _national(sh: Sheet, ev: Evaluation) -> None:
    _title(sh, ev)
    row = _header_block(sh, ev, split=5)
    funds_row = row
    row, exec_score = _funds_block(sh, ev, row, NATIONAL_FUNDS, NATIONAL_SOURCES, reason_col=None)
    exec_weight = sh.ref(funds_row + 1, 6)
    row = _goal_block(sh, ev, row, split=6)

    def cells(s: Any) -> list[tuple[Any, str | None, Alignment]]:
        return [(s.level1, None, CENTER), (s.level2, None, CENTER), (s.name, None, LEFT),
                (s.target, None, CENTER), (s.actual or "（未填写）", None, CENTER),
                (s.weight, SCORE, CENTER), (s.score, SCORE, CENTER), (s.deviation_reason, None, LEFT)]

    first, row = _indicator_rows(sh, ev, row, NATIONAL_INDICATORS, cells)
    row = _total_row(sh, ev, row, first, row - 1, 6, 7, exec_weight, exec_score)
    sh.last_row = row - 1


SICHUAN_FUNDS = ("年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分")
SICHUAN_SOURCES = ("其中：财政拨款", "其他资金")
SICHUAN_INDICATORS = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
                      "未完成原因分析")
SICHUAN_CLOSING = ("评价结论", "存在问题", "改进措施")
#: The Sichuan table's rule for its closing rows: each text at most this many characters.
SICHUAN_CLOSING_LIMIT = 200


def _sichuan(sh: Sheet, ev: Evaluation) -> None:
    _title(sh, ev)
    row = _header_block(sh, ev, split=6)
    funds_row = row
    row, exec_score = _funds_block(sh, ev, row, SICHUAN_FUNDS, SICHUAN_SOURCES, reason_col=9)
    exec_weight = sh.ref(funds_row + 1, 7)
    row = _goal_block(sh, ev, row, split=7)

    def cells(s: Any) -> list[tuple[Any, str | None, Alignment]]:
        nature, value, unit = split_target(s.target)
        return [(s.level1, None, CENTER), (s.level2, None, CENTER), (s.name, None, LEFT),
                (nature, None, CENTER), (value, None, CENTER), (unit, None, CENTER),
                (s.actual or "（未填写）", None, CENTER), (s.weight, SCORE, CENTER), (s.score, SCORE, CENTER),
                (s.deviation_reason, None, LEFT)]

    first, row = _indicator_rows(sh, ev, row, SICHUAN_INDICATORS, cells)
    row = _total_row(sh, ev, row, first, row - 1, 8, 9, exec_weight, exec_score)
    for label, text in closing_texts(ev, SICHUAN_CLOSING_LIMIT).items():
        sh.put(row, 1, label, header=True)
        sh.put(row, 2, text, to_col=sh.ncols, align=LEFT)
        row += 1
    sh.put(row, 1, "项目负责人", header=True)
    sh.put(row, 2, None, to_col=5)
    sh.put(row, 6, "财务负责人", header=True)
    sh.put(row, 7, None, to_col=sh.ncols)
    sh.ws.row_dimensions[row].height = 36
    sh.last_row = row


#: Table layouts by name; a rule set chooses one (see :func:`layout_name`).
LAYOUTS: dict[str, Layout] = {
    "national": Layout("national", "财预〔2020〕10号项目支出绩效自评表",
                       (10, 14, 24, 14, 14, 10, 10, 30), _national),
    "sichuan": Layout("sichuan", "四川省部门预算项目支出绩效自评表",
                      (10, 14, 22, 12, 12, 10, 16, 8, 8, 28), _sichuan),
}
DEFAULT_LAYOUT = "national"


def layout_name(ev: Evaluation) -> str:
    """The layout the evaluation's rule set names (``table_layout``)."""
    return ev.rules.table_layout
