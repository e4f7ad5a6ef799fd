"""The input workbook written: a blank template (with example rows) or one filled with a
project-year, with header notes, drop-down lists and range checks as data validations.

Workbooks are written deterministically (fixed zip member times, no creation date), so the same
input gives the same bytes. openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Iterable, get_args

from selfeval_lib.core.model import Assessment, ProjectYear
from selfeval_lib.core.quantity import Quantity, Text, TimePoint, parse_value
from selfeval_lib.core.rules import LEVEL1_NAMES, RuleSet
from selfeval_lib.core.vocabulary import GRADES
from selfeval_lib.errors import InputError
from selfeval_lib.files.cells import put_value
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.rulesets import DEFAULT_RULES_DIR, find_rule_set, load_rule_set
from selfeval_lib.inputs.workbook.cells import written_text
from selfeval_lib.inputs.workbook.spec import (
    ACCRUALS,
    DEVIATION_CATEGORIES,
    EXAMPLE_MARK,
    INDICATOR_NOTES,
    LIKELIHOODS,
    NO,
    YES,
    FORMATS,
    ILLUSTRATIVE_LABELS,
    INSTRUCTIONS_SHEET,
    KV_HEADERS,
    SEQ,
    SHEET_BY_NAME,
    SHEETS,
    Column,
    Sheet,
    column_letter,
)
from selfeval_lib.resources import samples_dir

#: The sample whose data fills the template's example rows.
EXAMPLE_PARAMS = samples_dir() / "example.yaml"
#: Rows of each table that carry data validation in the template.
VALIDATED_ROWS = 2_000
YEAR_NAME = "项目年度"  # defined name of the 年度 cell, used by the date validations

_ASSESSMENTS = get_args(Assessment)


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
            _write_kv(wb, ws, spec, py, sample, ctx)
    wb.properties.creator = "selfeval"
    wb.properties.title = "项目支出绩效自评输入工作簿"
    return workbook_bytes(wb)


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
        col = column_letter(1 + 1 + [c.key for c in items.columns].index("name"))
        self.items_range = f"'{items.name}'!${col}$2:${col}${VALIDATED_ROWS + 1}"


def _section(py: ProjectYear | None, spec: Sheet) -> Any:
    node: Any = py
    for part in spec.loc:
        node = getattr(node, part) if node is not None else None
    return node


def _value(py: ProjectYear | None, spec: Sheet, col: Column) -> Any:
    """The value of key/value row ``col`` in ``py`` (None when there is no ``py``)."""
    node: Any = py
    for part in col.at or spec.loc + (col.key,):
        node = getattr(node, part) if node is not None else None
    return node


def _rows_of(py: ProjectYear, spec: Sheet) -> list[Any]:
    if spec.loc == INDICATOR_NOTES:  # the deviation notes of each indicator's progress entries
        return [SimpleNamespace(indicator=ind.name, **p.model_dump(exclude={"value"}))
                for ind in py.indicators for p in ind.progress
                if p.category is not None or p.reason or p.measure or p.achievable is not None or p.expected
                or p.note]
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
    if col.at:
        return ".".join(col.at)
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

    comment = Comment(xml_text(text), "selfeval")
    comment.width, comment.height = 260, 110
    return comment


def _put(cell, col: Column, value: Any) -> None:
    """Write one value as the reader expects it: amounts as numbers, dates as date cells,
    rates as percentages, strings always as text (also when they start with “=”)."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return
    if col.kind == "roles":
        value = "、".join(value)
    elif col.kind == "paths":
        value = "、".join(ILLUSTRATIVE_LABELS[path] for path in value)
    elif col.kind in ("evidence", "progress", "yesno", "likelihood"):
        value = written_text(col.kind, value)
        if value is None:
            return
    put_value(cell, value)  # strings always text ("=5项" too), Decimal amounts as numbers
    cell.number_format = FORMATS.get(col.kind, "General")


def _header_note(spec: Sheet, col: Column, ctx: _Context | None = None) -> str:
    lines = [("必填。" if col.required else "选填。") + col.note]
    if col.kind == "roles" and ctx is not None and ctx.roles:
        lines.append(f"规则集中的角色：{'、'.join(ctx.roles)}。")
    if col.kind == "date":
        lines.append("日期格式 YYYY-MM-DD，如 2023-03-15。")
    lines.append(f"字段：{_field_path(spec, col)}")
    return "\n".join(lines)


def _write_table(ws, spec: Sheet, rows: list[Any], examples: list[Any], ctx: _Context) -> None:
    st = _style()
    headers = [Column(SEQ, "", width=6, note="留空或填数字；“示例”行不导入")] + list(spec.columns)
    for index, col in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index, value=col.label)
        cell.font = st["header"]
        cell.fill = st["required"] if col.required else st["optional"]
        cell.alignment = st["wrap"]
        cell.comment = _comment(col.note if col.label == SEQ else _header_note(spec, col, ctx))
        letter = column_letter(index)
        ws.column_dimensions[letter].width = col.width
        if col.label != SEQ:
            ws.column_dimensions[letter].number_format = FORMATS.get(col.kind, "General")
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
            letter = column_letter(index)
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            ws.add_data_validation(dv)


def _write_kv(wb, ws, spec: Sheet, py: ProjectYear | None, sample: ProjectYear | None, ctx: _Context) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    st = _style()
    for index, (label, width) in enumerate(zip(KV_HEADERS, (22, 50, 36, 50)), start=1):
        cell = ws.cell(row=1, column=index, value=label)
        cell.font = st["header"]
        cell.fill = st["required"]
        ws.column_dimensions[column_letter(index)].width = width
    ws.cell(row=1, column=2).comment = _comment(spec.note + "\n“示例”列仅供参考，不导入。")
    validations: dict[str, Any] = {}
    for r, col in enumerate(spec.columns, start=2):
        label = ws.cell(row=r, column=1, value=col.label)
        if col.required:
            label.font = st["bold"]
        label.comment = _comment(_header_note(spec, col))
        value = ws.cell(row=r, column=2)
        _put(value, col, _value(py, spec, col))
        value.number_format = FORMATS.get(col.kind, "General")
        value.alignment = st["wrap"]
        value.border = st["border"]
        if sample is not None:
            example = ws.cell(row=r, column=3)
            _put(example, col, _value(sample, spec, col))
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
        return listed(GRADES, "自评等级")
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
    if check == "date+1r":
        return dated(0, 1, "报告日期应在项目年度或下一年度")
    if check == "self_name":
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1="20", allow_blank=True,
                              showErrorMessage=True, errorTitle="单位自称", error="单位自称至多 20 字，如“我局”“本单位”")
    if check == "month":
        return number("whole", "between", "1", "12", "月份应为 1–12 之间的整数")
    if check == "category":
        return listed(DEVIATION_CATEGORIES, "偏差原因类别")
    if check == "yesno":
        return listed((YES, NO), "是否可能完成全年目标")
    if check == "likelihood":
        return listed(LIKELIHOODS, "完成目标可能性")
    if check == "accrual":
        return listed(ACCRUALS, "监控口径")
    if check == "illustrative":
        names = "、".join(ILLUSTRATIVE_LABELS.values())
        return DataValidation(allow_blank=True, showInputMessage=True, promptTitle="示例数据",
                              prompt=f"从 {names} 中选填，用顿号“、”分隔；导入时逐项核对"[:255])
    return None


def _write_instructions(ws, with_examples: bool) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [
        "项目支出绩效自评输入工作簿",
        "",
        "用法：填好后运行  selfeval import 本文件.xlsx --out params/  生成参数文件 params/<年度>/<项目编号>.yaml；有错误时逐条列出单元格（如 支付明细!C7）与原因，不生成文件。",
        "1. 项目信息、资金、满意度调查、情况说明、单位自评：在“填写内容”列逐项填写；“示例”列仅供参考，不导入。项目信息的“示例数据”一栏列出不是单位实际数据的部分（如 支付明细、绩效指标），用顿号分隔。",
        "2. 立项依据、支出内容、预算调整、资金到位、支付明细、绩效指标：表头下每行一条，空行忽略；序号为“示例”的灰色行不导入，可保留或删除。",
        "3. 表头（深蓝色为必填列）与“栏目”文字不要改动；列的顺序可以调整，可以在右侧增加自己的列（不导入）；填写区域不要合并单元格，每个单元格分别填写（合并的单元格导入时报错）。",
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

