"""Checks of a project-year that need several fields or the rule set, as :class:`FieldProblem`.

Types and ranges are pydantic's work (:mod:`selfeval_lib.core.model`); this module adds what a single
field cannot know: dates inside the year, weights adding up to the rule set's total, targets that
can be read, actuals that compare with them (an actual that cannot be read is not refused: the
evaluation scores it 0 and names it, docs/rules.md §4), references between ledger and content items. Pure; it
reads each indicator as scoring would (:func:`~selfeval_lib.core.scoring.read_indicator`) but
scores none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from selfeval_lib.core.funds import budget_full_year
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.quantity import Quantity, TimePoint, convert, is_blank_text, parse_value
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.core.scoring import read_indicator
from selfeval_lib.errors import QuantityError, ScoringError, UnitMismatch
from selfeval_lib.inputs.messages import Loc



@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A problem at a field path such as ``("funds", "payments", 3, "amount")``."""

    loc: Loc
    message: str


def _outside_year(d: date, year: int) -> bool:
    return d.year != year


def check_project_year(py: ProjectYear, rules: RuleSet) -> list[FieldProblem]:
    """Every cross-field problem of a type-valid project-year under ``rules``."""
    problems: list[FieldProblem] = []
    year = py.project.year
    add = problems.append

    names = [item.name for item in py.project.items]
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            add(FieldProblem(("project", "items", i, "name"), f"支出内容“{name}”重复"))
        seen.add(name)

    f = py.funds
    if f.approved_date is not None and f.approved_date.year not in (year - 1, year):
        add(FieldProblem(("funds", "approved_date"), f"批复日期 {f.approved_date} 不在 {year - 1}–{year} 年"))
    for kind, label, rows in (("adjustments", "调整日期", f.adjustments), ("arrivals", "到位日期", f.arrivals),
                              ("payments", "支付日期", f.payments)):
        for i, row in enumerate(rows):
            if _outside_year(row.date, year):
                add(FieldProblem(("funds", kind, i, "date"), f"{label} {row.date} 不在项目年度 {year} 年内"))
    for i, adj in enumerate(f.adjustments):
        if adj.amount == 0:
            add(FieldProblem(("funds", "adjustments", i, "amount"), "调整金额不能为 0"))
    if budget_full_year(f) <= Decimal(0):
        add(FieldProblem(("funds", "approved"), "全年预算数（批复数加调整）必须大于 0"))
    planned = sum((entry.amount for entry in f.plan), Decimal(0))
    if planned > budget_full_year(f) > 0:
        add(FieldProblem(("funds", "plan"), f"用款计划合计 {planned} 元超过全年预算数 {budget_full_year(f)} 元"))
    vouchers: set[str] = set()
    for i, pay in enumerate(f.payments):
        if pay.amount == 0:
            add(FieldProblem(("funds", "payments", i, "amount"), "支付金额必须大于 0"))
        if pay.item not in seen:
            add(FieldProblem(("funds", "payments", i, "item"),
                             f"支出内容“{pay.item}”不在 project.items 中（可选：{'、'.join(names)}）"))
        if pay.voucher in vouchers:
            add(FieldProblem(("funds", "payments", i, "voucher"), f"凭证号“{pay.voucher}”重复"))
        vouchers.add(pay.voucher)
    for i, arrival in enumerate(f.arrivals):
        if arrival.amount == 0:
            add(FieldProblem(("funds", "arrivals", i, "amount"), "到位金额必须大于 0"))
    if py.project.report_date is not None and py.project.report_date.year not in (year, year + 1):
        add(FieldProblem(("project", "report_date"), f"报告日期 {py.project.report_date} 不在 {year}–{year + 1} 年"))
    if py.survey is not None and py.survey.date is not None and py.survey.date.year not in (year, year + 1):
        add(FieldProblem(("survey", "date"), f"调查日期 {py.survey.date} 不在 {year}–{year + 1} 年"))

    problems.extend(_indicator_problems(py, rules))
    problems.extend(_progress_problems(py))
    return problems


def _progress_problems(py: ProjectYear) -> list[FieldProblem]:
    """Progress values (绩效运行监控) readable, of the target's kind and unit."""
    problems: list[FieldProblem] = []
    for i, ind in enumerate(py.indicators):
        try:
            target = parse_value(ind.target)
        except QuantityError:
            continue  # reported on the target itself
        for j, entry in enumerate(ind.progress):
            for field, label in (("value", "完成值"), ("expected", "全年预计完成值")):
                written = getattr(entry, field)
                if is_blank_text(written):
                    continue
                problem = _progress_value_problem(written, target, ind.target, f"{entry.month}月{label}",
                                                  py.project.year)
                if problem:
                    problems.append(FieldProblem(("indicators", i, "progress", j, field), problem))
    return problems


def _progress_value_problem(written: str, target: object, target_text: str, what: str, year: int) -> str:
    """Why a progress value (or the unit's 全年预计完成值) cannot be read against its target ("" if it can)."""
    try:
        value = parse_value(written)
    except QuantityError as exc:
        return str(exc)
    if isinstance(target, Quantity) and isinstance(value, Quantity):
        try:
            convert(value, target)
        except UnitMismatch:
            return (f"{what}“{written}”的单位与年度指标值“{target_text}”不同（{value.unit or '无单位'} 与 "
                    f"{target.unit or '无单位'}），应按指标值的单位填写")
    elif isinstance(target, Quantity) and isinstance(value, TimePoint):
        return f"{what}“{written}”是日期，而年度指标值“{target_text}”是数量"
    elif isinstance(target, TimePoint) and isinstance(value, Quantity):
        return f"{what}“{written}”是数量，而年度指标值“{target_text}”是日期"
    elif isinstance(value, TimePoint) and (value.year or year) != year:
        return f"{what}“{written}”不在项目年度 {year} 年内"
    return ""


def check_monitoring_input(py: ProjectYear, month: int) -> list[FieldProblem]:
    """What a monitoring at the end of ``month`` cannot accept: a month outside 1–12. Progress
    values, funds notes and payments of later months are not errors: a file kept through the year
    is monitored at June and again at July, and each monitoring counts only months up to its own."""
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        return [FieldProblem((), f"监控月份 {month} 不在 1–12 月")]
    return []


def _indicator_problems(py: ProjectYear, rules: RuleSet) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    total = 0.0
    for i, ind in enumerate(py.indicators):
        total += ind.weight
        loc: Loc = ("indicators", i)
        bad_cell = False
        try:  # an actual that cannot be read is not refused: the evaluation scores it 0 and names it
            parse_value(ind.target)
        except QuantityError as exc:
            problems.append(FieldProblem(loc + ("target",), str(exc)))
            bad_cell = True
        if not ind.target:
            problems.append(FieldProblem(loc + ("target",), "年度指标值不能为空"))
            bad_cell = True
        if ind.score is not None and ind.score > ind.weight:
            problems.append(FieldProblem(loc + ("score",), f"得分 {ind.score:g} 超过分值 {ind.weight:g}"))
            bad_cell = True
        if bad_cell:
            continue
        try:
            read_indicator(ind, rules, py.project.year)
        except QuantityError as exc:  # includes UnitMismatch
            problems.append(FieldProblem(loc + ("actual",), str(exc)))
        except ScoringError as exc:
            field = "score" if ind.score is not None or "得分" in str(exc) else "actual"
            problems.append(FieldProblem(loc + (field,), str(exc)))
    expected = rules.indicator_total
    if abs(total - expected) > rules.weight_tolerance:
        problems.append(FieldProblem(
            ("indicators",),
            f"指标分值合计 {total:g}，应为 {expected:g}（总分 {rules.total:g} − 预算执行率 {rules.execution.weight:g}，规则集 {rules.name}）",
        ))
    return problems
