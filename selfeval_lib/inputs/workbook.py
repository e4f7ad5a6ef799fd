"""The Excel input workbook (输入工作簿): a template analysts fill instead of YAML, and its import.

One sheet per part of the schema (:mod:`selfeval_lib.core.model`), so that every field has a home:

* key/value sheets (栏目 | 填写内容 | 示例 | 说明) for the single-valued parts:
  项目信息 (project), 资金 (funds), 满意度调查 (survey), 情况说明 (narrative), 单位自评 (claims);
* table sheets (序号 | columns …) for the lists: 立项依据 (project.basis_documents),
  支出内容 (project.items), 预算调整, 资金到位, 支付明细 (funds.adjustments/arrivals/payments),
  绩效指标 (indicators).

Columns and rows are found by their Chinese text, never by position; a row whose 序号 is “示例”
is an example and is not imported, nor is an empty row. The import builds the params data,
validates it exactly as a YAML file is validated (pydantic :class:`ProjectYear`, then
:func:`check_project_year` under the project's rule set) and names every problem by its cell
(``支付明细!C7``). Only then is ``<out>/<year>/<id>.yaml`` written, atomically.

Workbooks are written deterministically (fixed zip member times, no creation date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import ValidationError

from selfeval_lib.resources import samples_dir
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import (
    DEFAULT_RULES_DIR,
    InputError,
    Problem,
    _pydantic_message,
    find_rule_set,
    load_project,
    load_rule_set,
)
from selfeval_lib.files.ooxml import fixed_zip_times as _fixed_zip_times
from selfeval_lib.core.quantity import OPERATORS, Quantity, Text, TimePoint, parse_value
from selfeval_lib.core.rules import LEVEL1_NAMES, RuleSet
from selfeval_lib.inputs.validation import Loc, check_project_year

#: The sample whose data fills the template's example rows.
EXAMPLE_PARAMS = samples_dir() / "example.yaml"
#: First line of every YAML file written by :func:`import_workbook` (re-import may overwrite it).
IMPORT_MARK = "# 由 Excel 输入工作簿导入（selfeval import）"
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: Rows after the header that a table sheet may hold (beyond is refused, not cut silently).
MAX_DATA_ROWS = 20_000
#: Rows of each table that carry data validation in the template.
VALIDATED_ROWS = 2_000
EXAMPLE_MARK = "示例"
YEAR_NAME = "项目年度"  # defined name of the 年度 cell, used by the date validations

_ASSESSMENTS = ("达成", "部分达成", "未达成")
_GRADES = ("优", "良", "中", "差")


# --- sheet design ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Column:
    """One field: a column of a table sheet or a row of a key/value sheet.

    ``kind`` says how a cell is read (text, cell = target/actual, amount, date, int, number,
    rate, roles); ``check`` names the data validation of the template (see ``_validation``).
    ``empty`` is what an empty cell means (None: the field is left out, so its default applies
    or, when required, "缺少必填字段" is reported).
    """

    label: str
    key: str
    kind: str = "text"
    check: str | None = None
    note: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: float = 16
    empty: Any = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet: ``table`` (one row per list element) or key/value; ``loc`` is its schema path."""

    name: str
    loc: Loc
    columns: tuple[Column, ...]
    table: bool
    note: str = ""
    scalar: bool = False      # a list of plain strings (立项依据), one column
    optional: bool = False    # key/value section left out (None) when every value is empty


SHEETS: tuple[Sheet, ...] = (
    Sheet("项目信息", ("project",), (
        Column("项目编号", "id", check="id", required=True, note="英文字母、数字、“-”“_”“.”，以字母或数字开头；用作参数文件名，如 dongqu-yjglj-ydhs"),
        Column("项目名称", "name", required=True),
        Column("实施单位", "unit", required=True),
        Column("主管部门", "department", required=True),
        Column("年度", "year", kind="int", check="year", required=True, note="项目年度，如 2023；各日期的有效范围据此校验"),
        Column("资金来源", "funding_source", required=True, empty="", note="如：区级财政预算资金"),
        Column("年度总体目标", "overall_goal", required=True),
        Column("规则集", "rule_set", check="rule_set", note="留空为 national（全国通用）；四川省填 sichuan"),
    ), table=False, note="项目的基本信息。立项依据文件、支出内容见同名工作表。"),
    Sheet("立项依据", ("project", "basis_documents"), (
        Column("立项依据文件", "", required=True, width=80, note="每行一个文件，如《……》（……〔2023〕1号）"),
    ), table=True, scalar=True),
    Sheet("支出内容", ("project", "items"), (
        Column("支出内容", "name", required=True, width=30, note="支付明细的“支出内容”须与此处一致"),
        Column("用途", "purpose", width=40),
        Column("预算金额（元）", "budget", kind="amount", check="amount", aliases=("预算金额", "预算"), note="单位：元"),
    ), table=True, note="至少一项"),
    Sheet("资金", ("funds",), (
        Column("申报数（元）", "declared", kind="amount", check="amount", required=True, aliases=("申报数", "申报金额")),
        Column("批复数（元）", "approved", kind="amount", check="amount", required=True, aliases=("批复数", "年初预算数"),
               note="财政批复数，即年初预算数"),
        Column("批复日期", "approved_date", kind="date", check="date-1", note="应在项目年度或上一年度"),
        Column("全年执行数（元）", "reported_executed", kind="amount", check="amount", aliases=("全年执行数", "执行数"),
               note="单位填报的全年执行数（与支付明细合计核对）；可留空"),
        Column("执行率未达标原因", "execution_shortfall_reason", note="预算执行率未达标时填写"),
    ), table=False, note="金额单位：元。预算调整、资金到位、支付明细见同名工作表。"),
    Sheet("预算调整", ("funds", "adjustments"), (
        Column("调整日期", "date", kind="date", check="date", required=True),
        Column("调整金额（元）", "amount", kind="amount", check="signed", required=True, aliases=("调整金额", "金额"),
               note="追加为正数，调减为负数；单位：元"),
        Column("调整原因", "reason", required=True, width=40),
    ), table=True, note="全年预算未调整时留空"),
    Sheet("资金到位", ("funds", "arrivals"), (
        Column("到位日期", "date", kind="date", check="date", required=True),
        Column("到位金额（元）", "amount", kind="amount", check="amount", required=True, aliases=("到位金额", "金额")),
        Column("备注", "note", width=50),
    ), table=True),
    Sheet("支付明细", ("funds", "payments"), (
        Column("支付日期", "date", kind="date", check="date", required=True),
        Column("金额（元）", "amount", kind="amount", check="amount", required=True, aliases=("支付金额", "金额")),
        Column("收款方", "payee", required=True, aliases=("收款单位", "收款人"), width=30),
        Column("支出内容", "item", check="item", required=True, width=28, note="须为“支出内容”工作表中的一项"),
        Column("凭证号", "voucher", required=True, aliases=("凭证编号",), width=18),
        Column("审批签字", "approvals", kind="roles", aliases=("审批", "签字"), width=40,
               note="签字的角色，按顺序用顿号“、”分隔"),
    ), table=True, note="每张凭证一行"),
    Sheet("绩效指标", ("indicators",), (
        Column("一级指标", "level1", check="level1", required=True, width=12),
        Column("二级指标", "level2", check="level2", required=True, width=18),
        Column("三级指标", "name", required=True, width=30),
        Column("分值", "weight", kind="number", check="weight", required=True, width=8),
        Column("年度指标值", "target", kind="cell", required=True, aliases=("指标值", "目标值"), width=18,
               note="如 ≥95%、≤8.62万元、=3部、2023年12月底前、有效提升；以“=”开头的内容按文字保存"),
        Column("实际完成值", "actual", kind="cell", aliases=("完成值", "实际值"), width=18, note="如 98%、8.62万元、3部、2023年12月20日"),
        Column("评价档次", "assessment", check="assessment", width=10, note="完成值为文字时可选：达成、部分达成、未达成"),
        Column("单位得分", "score", kind="number", check="score", aliases=("得分",), width=10,
               note="部分达成或未达成时填写单位给出的得分"),
        Column("偏差原因分析及改进措施", "deviation_reason", aliases=("偏差原因",), width=40),
    ), table=True, note="分值合计应为规则集规定的指标总分（全国通用：90）"),
    Sheet("满意度调查", ("survey",), (
        Column("满意度", "rate", kind="rate", check="rate", required=True, note="如 95%（填 95% 或 0.95）"),
        Column("样本量", "sample_size", kind="int", check="count", note="有效问卷份数"),
        Column("调查方式", "method"),
        Column("调查日期", "date", kind="date", check="date+1", note="应在项目年度或下一年度"),
    ), table=False, optional=True, note="未开展满意度调查时整表留空"),
    Sheet("情况说明", ("narrative",), (
        Column("组织情况", "organisation"),
        Column("实施情况", "implementation"),
        Column("管理情况", "management"),
        Column("监管情况", "supervision"),
        Column("财务管理情况", "financial_management"),
        Column("自评步骤", "evaluation_steps"),
        Column("自评方法", "evaluation_methods"),
    ), table=False, note="报告正文引用的情况，按单位原文填写；可留空"),
    Sheet("单位自评", ("claims",), (
        Column("自评总分", "total_score", kind="number", check="total"),
        Column("自评等级", "grade", check="grade"),
        Column("资金到位率", "arrival_rate", kind="rate", check="rate"),
        Column("预算执行率", "execution_rate", kind="rate", check="ratio"),
        Column("资金使用率", "usage_rate", kind="rate", check="ratio"),
        Column("满意度", "satisfaction_rate", kind="rate", check="rate"),
        Column("结余（元）", "balance", kind="amount", check="amount", aliases=("结余",)),
    ), table=False, note="单位自评报告中的说法（可留空），由本工具与计算结果核对"),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
INSTRUCTIONS_SHEET = "填表说明"
_KV_HEADERS = ("栏目", "填写内容", "示例", "说明")
_SEQ = "序号"

_FORMATS = {"amount": "#,##0.00", "date": "yyyy-mm-dd", "rate": "0.00%", "int": "0", "number": "General",
            "text": "@", "cell": "@", "roles": "@"}


# --- writing -----------------------------------------------------------------------------------

def blank_workbook(example: bool = True, example_project: ProjectYear | None = None) -> bytes:
    """The empty input workbook; with ``example``, example rows (序号 “示例”, not imported) and a
    示例 column taken from ``example_project`` or the seed sample (:data:`EXAMPLE_PARAMS`)."""
    sample = None
    if example:
        sample = example_project or (load_project(EXAMPLE_PARAMS).project_year if EXAMPLE_PARAMS.is_file() else None)
    return _build(None, sample, _rule_sets(None))


def workbook_from_project(py: ProjectYear) -> bytes:
    """The input workbook filled with ``py`` (no example rows): importing it gives ``py`` back."""
    return _build(py, None, _rule_sets(py.project.rule_set))


def _rule_sets(extra: str | None) -> list[RuleSet]:
    """The national rule set, and ``extra`` when it is another one that can be found."""
    found: list[RuleSet] = []
    for name in dict.fromkeys(["national", extra or "national"]):
        try:
            found.append(load_rule_set(find_rule_set(name)))
        except InputError:
            continue
    return found


def _build(py: ProjectYear | None, sample: ProjectYear | None, rule_sets: list[RuleSet]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    intro = wb.active
    intro.title = INSTRUCTIONS_SHEET
    _write_instructions(intro, sample is not None)
    ctx = _Context(rule_sets)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        ws.page_setup.orientation = "landscape"  # printed: one page wide
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        if spec.table:
            _write_table(ws, spec, _rows_of(py, spec) if py else [], _example_rows(sample, spec), ctx)
        else:
            _write_kv(wb, ws, spec, _section(py, spec), _section(sample, spec), ctx)
    wb.properties.creator = "selfeval"
    wb.properties.title = "项目支出绩效自评输入工作簿"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


class _Context:
    """What the validations need: drop-down lists from the rule sets, the 支出内容 range."""

    def __init__(self, rule_sets: list[RuleSet]):
        level2: list[str] = []
        roles: list[str] = []
        for rules in rule_sets:
            for names in rules.level2_groups.values():
                level2.extend(names)
            roles.extend(rules.approvals.every_voucher)
            for threshold in rules.approvals.thresholds:
                roles.extend(threshold.roles)
        self.level2 = list(dict.fromkeys(level2))
        self.roles = list(dict.fromkeys(roles))
        self.rule_set_names = sorted(p.stem for p in DEFAULT_RULES_DIR.glob("*.yaml")) if DEFAULT_RULES_DIR.is_dir() else []
        items = SHEET_BY_NAME["支出内容"]
        col = _letter(1 + 1 + [c.key for c in items.columns].index("name"))
        self.items_range = f"'{items.name}'!${col}$2:${col}${VALIDATED_ROWS + 1}"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _section(py: ProjectYear | None, spec: Sheet) -> Any:
    node: Any = py
    for part in spec.loc:
        node = getattr(node, part) if node is not None else None
    return node


def _rows_of(py: ProjectYear, spec: Sheet) -> list[Any]:
    return list(_section(py, spec) or [])


def _example_rows(sample: ProjectYear | None, spec: Sheet) -> list[Any]:
    """One example row per table; for 绩效指标 one of each kind (quantity, date, text)."""
    if sample is None:
        return []
    rows = _rows_of(sample, spec)
    if spec.loc != ("indicators",):
        return rows[:1]
    picked: dict[type, Any] = {}
    for ind in rows:
        picked.setdefault(type(parse_value(ind.target)), ind)
    return [picked[k] for k in (Quantity, TimePoint, Text) if k in picked] or rows[:1]


def _field_path(spec: Sheet, col: Column) -> str:
    path = ".".join(spec.loc)
    if spec.table:
        return f"{path}[]" + (f".{col.key}" if col.key else "")
    return f"{path}.{col.key}"


def _style():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    return {
        "header": Font(name="等线", bold=True, color="FFFFFF"),
        "required": PatternFill("solid", fgColor="1F4E79"),
        "optional": PatternFill("solid", fgColor="5B9BD5"),
        "example": Font(name="等线", italic=True, color="808080"),
        "bold": Font(name="等线", bold=True),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def _comment(text: str):
    from openpyxl.comments import Comment

    comment = Comment(text, "selfeval")
    comment.width, comment.height = 260, 110
    return comment


def _put(cell, col: Column, value: Any) -> None:
    """Write one value as the reader expects it: amounts as numbers, dates as date cells,
    rates as percentages, strings always as text (also when they start with “=”)."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return
    if col.kind == "roles":
        value = "、".join(value)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; "=5项" is text
        if value.startswith("="):
            cell.quotePrefix = True
    cell.number_format = _FORMATS.get(col.kind, "General")


def _header_note(spec: Sheet, col: Column, ctx: _Context | None = None) -> str:
    lines = [("必填。" if col.required else "选填。") + col.note]
    if col.kind == "roles" and ctx is not None and ctx.roles:
        lines.append(f"规则集中的角色：{'、'.join(ctx.roles)}。")
    if col.check in ("date", "date-1", "date+1"):
        lines.append("日期格式 YYYY-MM-DD，如 2023-03-15。")
    lines.append(f"字段：{_field_path(spec, col)}")
    return "\n".join(lines)


def _write_table(ws, spec: Sheet, rows: list[Any], examples: list[Any], ctx: _Context) -> None:
    st = _style()
    headers = [Column(_SEQ, "", width=6, note="留空或填数字；“示例”行不导入")] + list(spec.columns)
    for index, col in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index, value=col.label)
        cell.font = st["header"]
        cell.fill = st["required"] if col.required else st["optional"]
        cell.alignment = st["wrap"]
        cell.comment = _comment(col.note if col.label == _SEQ else _header_note(spec, col, ctx))
        letter = _letter(index)
        ws.column_dimensions[letter].width = col.width
        if col.label != _SEQ:
            ws.column_dimensions[letter].number_format = _FORMATS.get(col.kind, "General")
    r = 2
    for marked, source in [(True, x) for x in examples] + [(False, x) for x in rows]:
        seq = ws.cell(row=r, column=1, value=EXAMPLE_MARK if marked else r - 1 - len(examples))
        for index, col in enumerate(spec.columns, start=2):
            value = source if spec.scalar else getattr(source, col.key)
            cell = ws.cell(row=r, column=index)
            _put(cell, col, value)
            if marked:
                cell.font = st["example"]
        if marked:
            seq.font = st["example"]
        r += 1
    ws.freeze_panes = "B2"
    for index, col in enumerate(spec.columns, start=2):
        dv = _validation(col.check, ctx)
        if dv is not None:
            letter = _letter(index)
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            ws.add_data_validation(dv)


def _write_kv(wb, ws, spec: Sheet, section: Any, sample: Any, ctx: _Context) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    st = _style()
    for index, (label, width) in enumerate(zip(_KV_HEADERS, (22, 50, 36, 50)), start=1):
        cell = ws.cell(row=1, column=index, value=label)
        cell.font = st["header"]
        cell.fill = st["required"]
        ws.column_dimensions[_letter(index)].width = width
    ws.cell(row=1, column=2).comment = _comment(spec.note + "\n“示例”列仅供参考，不导入。")
    validations: dict[str, Any] = {}
    for r, col in enumerate(spec.columns, start=2):
        label = ws.cell(row=r, column=1, value=col.label)
        if col.required:
            label.font = st["bold"]
        label.comment = _comment(_header_note(spec, col))
        value = ws.cell(row=r, column=2)
        _put(value, col, getattr(section, col.key) if section is not None else None)
        value.number_format = _FORMATS.get(col.kind, "General")
        value.alignment = st["wrap"]
        value.border = st["border"]
        if sample is not None:
            example = ws.cell(row=r, column=3)
            _put(example, col, getattr(sample, col.key))
            example.font = st["example"]
            example.alignment = st["wrap"]
        ws.cell(row=r, column=4, value=("必填。" if col.required else "") + col.note).alignment = st["wrap"]
        if col.check and col.check not in validations:
            validations[col.check] = _validation(col.check, ctx)
            if validations[col.check] is not None:
                ws.add_data_validation(validations[col.check])
        if col.check and validations[col.check] is not None:
            validations[col.check].add(f"B{r}")
        if spec.loc == ("project",) and col.key == "year":
            wb.defined_names[YEAR_NAME] = DefinedName(YEAR_NAME, attr_text=f"'{spec.name}'!$B${r}")
    ws.freeze_panes = "A2"


def _validation(check: str | None, ctx: _Context):
    """The data validation of a check key (see :class:`Column`), or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def listed(values: Iterable[str], title: str, strict: bool = True):
        values = list(values)
        if not values:
            return None
        return DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                              errorStyle="stop" if strict else "warning", showErrorMessage=True,
                              errorTitle=title, error=f"请从下拉列表中选择：{'、'.join(values)}"[:255],
                              showInputMessage=True, promptTitle=title, prompt="从下拉列表中选择")

    def number(kind: str, operator: str, low: str, high: str | None, message: str):
        return DataValidation(type=kind, operator=operator, formula1=low, formula2=high, allow_blank=True,
                              showErrorMessage=True, errorTitle="数值有误", error=message)

    def dated(before: int, after: int, message: str):
        low = f"IF(ISNUMBER({YEAR_NAME}),DATE({YEAR_NAME}{-before or ''},1,1),DATE(2000,1,1))"
        high = f"IF(ISNUMBER({YEAR_NAME}),DATE({YEAR_NAME}{'+' + str(after) if after else ''},12,31),DATE(2100,12,31))"
        return DataValidation(type="date", operator="between", formula1=low, formula2=high, allow_blank=True,
                              showErrorMessage=True, errorTitle="日期有误", error=message,
                              showInputMessage=True, promptTitle="日期", prompt="格式 YYYY-MM-DD，如 2023-03-15")

    if check == "level1":
        return listed(LEVEL1_NAMES, "一级指标")
    if check == "level2":
        return listed(ctx.level2, "二级指标", strict=False)
    if check == "assessment":
        return listed(_ASSESSMENTS, "评价档次")
    if check == "grade":
        return listed(_GRADES, "自评等级")
    if check == "rule_set":
        return listed(ctx.rule_set_names, "规则集", strict=False)
    if check == "item":
        dv = DataValidation(type="list", formula1=ctx.items_range, allow_blank=True, errorStyle="warning",
                            showErrorMessage=True, errorTitle="支出内容", error="应为“支出内容”工作表中的一项")
        return dv
    if check == "amount":
        return number("decimal", "greaterThanOrEqual", "0", None, "金额应为不小于 0 的数字（单位：元）")
    if check == "signed":
        return number("decimal", "between", "-1000000000000", "1000000000000", "调整金额应为数字（单位：元；调减为负数）")
    if check == "weight":
        return number("decimal", "between", "0", "100", "分值应为 0–100 之间的数字")
    if check == "score":
        return number("decimal", "greaterThanOrEqual", "0", None, "得分不能为负数")
    if check == "total":
        return number("decimal", "between", "0", "100", "总分应为 0–100 之间的数字")
    if check == "rate":
        return number("decimal", "between", "0", "1", "应为 0%–100% 之间的百分比")
    if check == "ratio":
        return number("decimal", "between", "0", "10", "应为百分比，如 95%")
    if check == "year":
        return number("whole", "between", "2000", "2100", "年度应为 2000–2100 之间的整数")
    if check == "count":
        return number("whole", "greaterThanOrEqual", "1", None, "样本量应为正整数")
    if check == "date":
        return dated(0, 0, "日期应在项目年度内（见“项目信息”的年度）")
    if check == "date-1":
        return dated(1, 0, "批复日期应在项目年度或上一年度")
    if check == "date+1":
        return dated(0, 1, "调查日期应在项目年度或下一年度")
    return None


def _write_instructions(ws, with_examples: bool) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [
        "项目支出绩效自评输入工作簿",
        "",
        "用法：填好后运行  selfeval import 本文件.xlsx --out params/  生成参数文件 params/<年度>/<项目编号>.yaml；有错误时逐条列出单元格（如 支付明细!C7）与原因，不生成文件。",
        "1. 项目信息、资金、满意度调查、情况说明、单位自评：在“填写内容”列逐项填写；“示例”列仅供参考，不导入。",
        "2. 立项依据、支出内容、预算调整、资金到位、支付明细、绩效指标：表头下每行一条，空行忽略；序号为“示例”的灰色行不导入，可保留或删除。",
        "3. 表头（深蓝色为必填列）与“栏目”文字不要改动；列的顺序可以调整，可以在右侧增加自己的列（不导入）。",
        "4. 金额单位为元，填数字；日期填 YYYY-MM-DD（如 2023-03-15）；比率填百分比（如 95%）。",
        "5. 绩效指标的“年度指标值”“实际完成值”按表格原样填写，如 ≥95%、≤8.62万元、=3部、2023年12月底前、有效提升。",
        "6. 支付明细的“支出内容”须与“支出内容”工作表一致；“审批签字”按顺序用顿号分隔，如 经办人、分管领导、主要领导。",
    ]
    if with_examples:
        lines.append(f"7. 示例数据取自 {EXAMPLE_PARAMS.stem} 项目，仅供参考。")
    ws.column_dimensions["A"].width = 120
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            cell.font = Font(name="等线", bold=True, size=14)


# --- reading -----------------------------------------------------------------------------------

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


class _Reader:
    """Reads a workbook into params data; collects problems and the cell of every field."""

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
                cells = "、".join(f"{_letter(c)}{row}" for c in sorted(set(hits)))
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
        seq_col = next((c for c in range(1, 41) if _norm(grid.text(header, c)) == _SEQ), None)
        if cols is None:
            return None
        first = _letter(cols[spec.columns[0].key])
        self.refs[spec.loc] = f"{grid.name}!{first}{header + 1}"
        if spec.loc == ("indicators",):
            weight = _letter(cols["weight"])
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
                ref = f"{grid.name}!{_letter(c)}{r}"
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
        header = self._header_row(grid, [_norm(h) for h in _KV_HEADERS[:2]])
        heads = {_norm(h): Column(h, _norm(h)) for h in _KV_HEADERS[:2]}
        cols = self._columns(grid, header, heads.values()) if header is not None else None
        if header is None or cols is None:
            if header is None:
                self.problem(f"{grid.name}!1:1", "找不到表头行（应含：栏目、填写内容）", structural=True)
            return None
        label_col, value_col = cols[_norm("栏目")], cols[_norm("填写内容")]
        letter = _letter(value_col)
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
                self.problem(f"{grid.name}!{_letter(label_col)}:{_letter(label_col)}",
                             f"找不到栏目“{col.label}”（可能被改名或删除）", structural=True)
                continue
            if len(hits) > 1:
                where = "、".join(f"{_letter(label_col)}{r}" for r in hits)
                self.problem(f"{grid.name}!{_letter(label_col)}{hits[0]}", f"栏目“{col.label}”出现多次（{where}）",
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


def _validated(reader: _Reader, data: dict[str, Any], near: Path | None) -> tuple[ProjectYear, Path]:
    """Pydantic, then the rule set, then the cross checks; InputError with every cell at fault."""
    if reader.structural:
        raise InputError(reader.problems)
    own = {p.field for p in reader.problems}  # a cell already reported is not reported again
    try:
        py = ProjectYear.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(reader.file, reader.ref(tuple(e["loc"])), _pydantic_message(e)) for e in exc.errors()]
        raise InputError(reader.problems + [p for p in problems if p.field not in own]) from None
    rule_ref = reader.refs.get(("project", "rule_set"), "项目信息")
    try:
        rules_path = find_rule_set(py.project.rule_set, near or reader.path)
    except InputError as exc:
        raise InputError(reader.problems + [Problem(reader.file, rule_ref, p.message) for p in exc.problems]) from None
    rules = load_rule_set(rules_path)
    problems = [Problem(reader.file, reader.ref(p.loc), _in_workbook_terms(p.message))
                for p in check_project_year(py, rules)]
    problems = [p for p in problems if p.field not in own]
    if reader.problems or problems:
        raise InputError(reader.problems + problems)
    return py, rules_path


def _in_workbook_terms(message: str) -> str:
    """Cross-check messages name schema paths; in a workbook the sheet is the name."""
    return message.replace("不在 project.items 中", "不在“支出内容”工作表中")


def _params_data(py: ProjectYear) -> dict[str, Any]:
    """The validated project-year as params data: schema order, defaults left out, except
    ``project.rule_set`` which is always written."""
    data = py.model_dump(mode="python", exclude_defaults=True)
    data["project"]["rule_set"] = py.project.rule_set
    return data


def project_from_workbook(path: Path | str, rules_near: Path | str | None = None) -> dict[str, Any]:
    """Read and validate a filled input workbook; the params data (as in a YAML file).

    Raises :class:`InputError` with one :class:`Problem` per fault, ``field`` naming the cell
    (``支付明细!C7``) or, for a missing header, the row (``支付明细!1:1``). The rule set is
    looked up as for a params file at ``rules_near`` (default: beside the workbook).
    """
    py, _ = _read_workbook(Path(path), Path(rules_near) if rules_near else None)
    return _params_data(py)


def _read_workbook(path: Path, near: Path | None) -> tuple[ProjectYear, Path]:
    reader = _Reader(path)
    data = reader.read()
    return _validated(reader, data, near)


class _Dumper(yaml.SafeDumper):
    """Safe dumper: Decimal amounts as plain numbers, integral floats (weights) as integers."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return yaml.SafeDumper.represent_float(dumper, value)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(float, _represent_float)


def params_yaml(data: dict[str, Any], source: str = "", digest: str = "") -> str:
    """Params data as YAML text (safe, Unicode, schema order) with the import header comment."""
    header = IMPORT_MARK + (f"：{source}" if source else "") + "\n"
    if digest:
        header += f"# 工作簿 SHA-256：{digest}\n"
    header += "# 修改请在工作簿中进行后重新导入（重新导入会覆盖本文件）。\n"
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return header + body


def import_workbook(path: Path | str, out_dir: Path | str, overwrite: bool = False) -> Path:
    """Import a filled workbook into ``out_dir/<year>/<project-id>.yaml`` and return that path.

    Nothing is written when there is any problem (:class:`InputError`, one Problem per cell).
    The file is written atomically (temp file, then ``os.replace``) and read back with
    :func:`load_project` before it replaces anything. An existing file is replaced when it
    was itself imported (its first line is :data:`IMPORT_MARK`) or when ``overwrite``.
    """
    path, out_dir = Path(path), Path(out_dir)
    reader = _Reader(path)
    data = reader.read()
    if not reader.structural:
        project = data.get("project", {})
        year, ident = project.get("year"), project.get("id")
        near = out_dir / str(year) / f"{ident}.yaml" if isinstance(year, int) and isinstance(ident, str) else None
    else:
        near = None
    py, _ = _validated(reader, data, near)
    target = out_dir / str(py.project.year) / f"{py.project.id}.yaml"
    if target.exists() and not overwrite and not _was_imported(target):
        raise InputError([Problem(str(target), "", "文件已存在且不是由工作簿导入生成的；确认覆盖请加 --force")])
    text = params_yaml(_params_data(py), path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{py.project.id}.", suffix=".yaml.tmp", dir=target.parent)
    except OSError as exc:
        raise InputError([Problem(str(target), "", f"无法写入：{exc.strerror or exc}")]) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if load_project(tmp).project_year != py:  # the YAML must say exactly what the workbook says
            raise RuntimeError(f"导入结果与工作簿不一致：{target}")
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError([Problem(str(target), "", f"无法写入：{exc.strerror or exc}")]) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _was_imported(target: Path) -> bool:
    try:
        with target.open(encoding="utf-8") as handle:
            return handle.readline().startswith(IMPORT_MARK)
    except (OSError, UnicodeDecodeError):
        return False
