"""Review (复核) of a submitted self-evaluation table: recompute every score by the rule set and
list every discrepancy (rules.md §7).

A :class:`PublishedTable` holds the table as published: cells as written (weights "20%" or
"20", scores, 执行率 "100%", amounts in 元 or 万元 as the header says), so nothing is corrected
on the way in. :func:`review_table` is pure: it recomputes the execution score, each indicator's
score, the total and the grade, and returns :class:`ReviewFinding` rows with the published and
the recomputed value and a Chinese explanation. Differences that rounding explains are a
separate, low-severity code (``ROUNDING``), so the real errors stand out. Where the rules leave
room, :attr:`Review.readings` says which reading was applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.checks import SEVERITY_ORDER, is_cost_level2, is_placeholder, is_quantity_level2
from selfeval_lib.core.quantity import Blank, Quantity, QuantityError, Text, TimePoint, convert, is_count, parse_value
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.errors import CellError
from selfeval_lib.review.cells import is_blank_cell, number_cell, rate_cell, grade_of_text
from selfeval_lib.review.table import (
    Cell,
    PublishedIndicator,
    PublishedTable,
    Review,
    ReviewFinding,
    RowScore,
)
from selfeval_lib.core.scoring import (
    capped_ratio_score,
    classify_band,
    copies_target,
    quantitative_score,
    time_score,
)

# --- the review --------------------------------------------------------------------------------


def _rounds_to(published: float, recomputed: float, tolerance: float) -> bool:
    """True when the published value is the recomputed one rounded (to 0, 1 or 2 decimals)."""
    if abs(published - recomputed) > tolerance + 1e-9:
        return False
    return any(abs(published - round(recomputed, digits)) < 1e-9 for digits in (0, 1, 2))


def _compare(findings: list, row, field_name: str, label: str, published: float | None,
             recomputed: float | None, tolerance: float, code: str, what: str) -> None:
    if published is None or recomputed is None:
        return
    if abs(published - recomputed) <= 0.005:
        return
    if _rounds_to(published, recomputed, tolerance):
        findings.append(ReviewFinding(row, field_name, "ROUNDING", "low", published, round(recomputed, 4),
                                      f"{label}{what}填{fmt.score(published)}，计算值{fmt.score(recomputed)}，差异仅为四舍五入。"))
    else:
        findings.append(ReviewFinding(row, field_name, code, "high", published, round(recomputed, 4),
                                      f"{label}{what}填{fmt.score(published)}，按规则应为{fmt.score(recomputed)}。"))


@dataclass
class _RowResult:
    recomputed: float | None
    kind: str
    shortfall: bool = False
    over_target: bool = False
    direction: str | None = None
    target: Any = None


def _recompute(ind: PublishedIndicator, weight: float, published: float | None, rules: RuleSet, year: int,
               findings: list, row) -> _RowResult:
    """The rule's score of one row (rules.md §4–§5); problems reading it become findings."""
    label = f"“{ind.name}”"
    try:
        target = parse_value(ind.target)
        actual = parse_value(ind.actual)
    except QuantityError as exc:
        findings.append(ReviewFinding(row, "target/actual", "UNREADABLE_VALUE", "high", f"{ind.target} / {ind.actual}",
                                      None, f"{label}{exc}，无法复核得分。"))
        return _RowResult(None, "unreadable")
    if isinstance(target, Blank) or isinstance(actual, Blank):
        return _RowResult(0.0 if isinstance(actual, Blank) else None, "blank", target=target)
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        try:
            result = quantitative_score(target, actual, weight, rules)
        except QuantityError as exc:
            findings.append(ReviewFinding(row, "actual", "UNIT_MISMATCH", "high", ind.actual, None, f"{label}{exc}。"))
            return _RowResult(None, "unreadable", target=target)
        return _RowResult(result.score, "quantitative", result.shortfall, result.over_target, result.direction, target)
    if isinstance(target, TimePoint) and isinstance(actual, TimePoint):
        try:
            late = actual.resolve(year) > target.resolve(year)
        except ValueError:
            findings.append(ReviewFinding(row, "actual", "UNREADABLE_VALUE", "high", ind.actual, None,
                                          f"{label}日期无效，无法复核得分。"))
            return _RowResult(None, "unreadable", target=target)
        return _RowResult(time_score(target.resolve(year), actual.resolve(year), weight), "time", late, target=target)
    if isinstance(target, (Quantity, TimePoint)) and isinstance(actual, (Quantity, TimePoint)):
        findings.append(ReviewFinding(row, "actual", "UNIT_MISMATCH", "high", ind.actual, None,
                                      f"{label}实际完成值“{ind.actual}”与年度指标值“{ind.target}”类型不一致（数量与日期）。"))
        return _RowResult(None, "unreadable", target=target)
    if isinstance(target, (Quantity, TimePoint)) and isinstance(actual, Text):
        findings.append(ReviewFinding(row, "actual", "ACTUAL_NOT_MEASURED", "medium", ind.actual, None,
                                      f"{label}为定量指标（{ind.target}），实际完成值却是文字“{ind.actual}”，按定性档次复核。"))
    # Qualitative (rules.md §5): the band the actual's words give; the unit's score must lie in it.
    band = classify_band(ind.actual, ind.target, rules)
    first = band == rules.qualitative_bands[0]
    low, high = band.low * weight, band.high * weight
    if published is None:
        return _RowResult(weight if first else None, "qualitative", not first, target=target)
    inside = low - 1e-9 <= published <= high + 1e-9 if first else low - 1e-9 <= published < high - 1e-9
    if inside:
        return _RowResult(published, "qualitative", not first, target=target)
    findings.append(ReviewFinding(
        row, "score", "QUALITATIVE_OUT_OF_BAND", "high", published, f"{fmt.score(low)}–{fmt.score(high)}",
        f"{label}完成情况“{ind.actual}”属“{band.name}”档，得分应在{fmt.score(low)}–{fmt.score(high)}分"
        f"{'' if first else '（不含上限）'}，填报{fmt.score(published)}分。"))
    return _RowResult(min(max(published, low), high), "qualitative", not first, target=target)


def review_table(table: PublishedTable, rules: RuleSet) -> Review:
    """Recompute the table under ``rules`` and list every discrepancy (rules.md §7)."""
    p = rules.problems
    tol = p.review_rounding_tolerance
    findings: list[ReviewFinding] = []
    rows: list[RowScore] = []
    year = table.project.year or 2000
    readings = [
        f"规则集：{rules.title}（{rules.name}）。",
        f"反向指标超出目标时按“{'分值×A/B' if rules.reverse_formula == 'ratio' else '分值×(1−(B−A)/A)'}”计分（rules.md §4，另一读法见规则集 reverse_formula）。",
        "定性指标按实际完成情况的文字归档：" + "，".join(
            f"“{b.name}”[{fmt.percent(b.low, 0)},{fmt.percent(b.high, 0)}{']' if i == 0 else ')'}"
            for i, b in enumerate(rules.qualitative_bands)) + "；档内得分采用单位填报值（rules.md §5）。",
        f"得分差异不超过{fmt.score(tol)}分且等于计算值四舍五入（0、1或2位小数）的，列为“ROUNDING”低级别差异。",
    ]

    def cell(value: Cell, row, field_name: str, label: str, rate: bool = False) -> float | None:
        try:
            return rate_cell(value) if rate else number_cell(value)
        except CellError as exc:
            findings.append(ReviewFinding(row, field_name, "UNREADABLE_VALUE", "high", value, None,
                                          f"{label}{field_name}：{exc}。"))
            return None

    # Execution (rules.md §3, §7.3).
    exec_weight = exec_published = exec_recomputed = exec_rate = None
    funds = table.funds
    if funds is not None:
        row = funds.row or "资金"
        scale = 10_000 if funds.amount_unit == "万元" else 1
        budget = cell(funds.budget_full_year, row, "全年预算数", "预算执行：")
        executed = cell(funds.executed, row, "全年执行数", "预算执行：")
        exec_weight = cell(funds.weight, row, "分值", "预算执行：")
        if exec_weight is None:
            exec_weight = rules.execution.weight
            readings.append(f"资金表未填分值，按规则集取预算执行率分值{fmt.score(exec_weight)}分。")
        printed_rate = cell(funds.rate, row, "执行率", "预算执行：", rate=True)
        exec_published = cell(funds.score, row, "得分", "预算执行：")
        rate = executed * scale / (budget * scale) if budget and executed is not None else None
        if not budget:
            findings.append(ReviewFinding(row, "全年预算数", "FUNDS_INCOMPLETE", "medium", funds.budget_full_year, None,
                                          "资金表的全年预算数为0或未填，无法按全年执行数÷全年预算数复核执行率"
                                          "（金额可能只填在“其中”各行）。"))
        exec_rate = rate if rate is not None else printed_rate
        if rate is not None:
            if printed_rate is not None and abs(printed_rate - rate) > p.review_rate_tolerance:
                findings.append(ReviewFinding(row, "执行率", "EXECUTION_RATE_MISMATCH", "high", fmt.percent(printed_rate),
                                              fmt.percent(rate),
                                              f"执行率填{fmt.percent(printed_rate)}，按全年执行数÷全年预算数应为{fmt.percent(rate)}。"))
            if rate > 1:
                findings.append(ReviewFinding(row, "执行率", "EXECUTION_OVER_100", "medium", fmt.percent(printed_rate),
                                              fmt.percent(rate), f"执行率{fmt.percent(rate)}超过100%，超出预算执行。"))
            floor = (rules.execution.reason_required_below if rules.execution.reason_required_below is not None
                     else p.execution_rate_min)
            if rate < floor and not funds.reason.strip():
                findings.append(ReviewFinding(row, "原因", "EXECUTION_REASON_MISSING", "high", "", fmt.percent(rate),
                                              f"执行率{fmt.percent(rate)}低于{fmt.percent(floor)}，未说明原因。"))
            exec_recomputed = capped_ratio_score(rate, exec_weight)
        elif printed_rate is not None:
            readings.append("资金表缺少预算数或执行数，执行率按填报值复核得分。")
            exec_recomputed = capped_ratio_score(printed_rate, exec_weight)
        if exec_published is None and is_blank_cell(funds.score):
            findings.append(ReviewFinding(row, "得分", "SCORE_BLANK", "medium", None, exec_recomputed, "预算执行率未填得分。"))
        _compare(findings, row, "得分", "预算执行率", exec_published, exec_recomputed, tol, "SCORE_MISMATCH", "得分")
        rows.append(RowScore(row, "预算执行率", exec_weight, exec_published, exec_recomputed, "execution"))
    else:
        readings.append("表中无预算执行率（如专项转移支付），总分只计绩效指标。")

    # Indicators (rules.md §4, §5, §7.4–§7.8).
    level1_sums: dict[str, float] = {}
    survey_basis = bool(table.survey and table.survey.method.strip() and number_cell_safe(table.survey.sample_size))
    for index, ind in enumerate(table.indicators):
        row = ind.row if ind.row is not None else index + 1
        label = f"“{ind.name or f'第{index + 1}项'}”"
        weight = cell(ind.weight, row, "分值", label)
        published = cell(ind.score, row, "得分", label)
        if weight is None:
            if is_blank_cell(ind.weight):
                findings.append(ReviewFinding(row, "分值", "WEIGHT_BLANK", "high", ind.weight, None, f"{label}未填分值。"))
            rows.append(RowScore(row, ind.name, None, published, None, "unreadable"))
            continue
        level1_sums[ind.level1] = level1_sums.get(ind.level1, 0.0) + weight
        for field_name, text in (("三级指标", ind.name), ("年度指标值", ind.target), ("实际完成值", ind.actual)):
            if text.strip() and is_placeholder(text):
                findings.append(ReviewFinding(row, field_name, "PLACEHOLDER_TEXT", "high", text, None,
                                              f"{label}的{field_name}“{text}”是占位内容。"))
        if not ind.target.strip() or isinstance(_safe_parse(ind.target), Blank):
            findings.append(ReviewFinding(row, "年度指标值", "BLANK_TARGET", "high", ind.target, None,
                                          f"{label}未填年度指标值，无法判断完成情况。"))
        result = _recompute(ind, weight, published, rules, year, findings, row)
        if result.kind == "blank" and isinstance(_safe_parse(ind.actual), Blank):
            findings.append(ReviewFinding(row, "实际完成值", "BLANK_ACTUAL", "high", ind.actual, 0,
                                          f"{label}未填实际完成值{'，却得' + fmt.score(published) + '分' if published else ''}，应按0分计。"))
        if published is None and is_blank_cell(ind.score):
            findings.append(ReviewFinding(row, "得分", "SCORE_BLANK", "medium", None, result.recomputed,
                                          f"{label}未填得分。"))
        _compare(findings, row, "得分", label, published, result.recomputed, tol, "SCORE_MISMATCH", "得分")
        if published is not None and published > weight + 1e-9:
            findings.append(ReviewFinding(row, "得分", "SCORE_ABOVE_WEIGHT", "high", published, weight,
                                          f"{label}得分{fmt.score(published)}超过分值{fmt.score(weight)}。"))
        if published is not None and published < weight - 1e-9 and not ind.deviation_reason.strip():
            findings.append(ReviewFinding(row, "偏差原因分析", "DEDUCTION_WITHOUT_REASON", "medium", published, None,
                                          f"{label}扣分（{fmt.score(published)}/{fmt.score(weight)}）但未分析偏差原因。"))
        if result.shortfall and published is not None and published >= weight - 1e-9 and result.kind != "qualitative":
            findings.append(ReviewFinding(row, "得分", "SHORTFALL_FULL_MARKS", "high", published, result.recomputed,
                                          f"{label}实际完成{ind.actual}未达到指标值{ind.target}，却得满分。"))
        actual_parsed = _safe_parse(ind.actual)
        copies = copies_target(ind.actual, ind.target)
        has_op = isinstance(actual_parsed, (Quantity, TimePoint)) and actual_parsed.op_written
        if copies or has_op:
            findings.append(ReviewFinding(row, "实际完成值", "ACTUAL_COPIES_TARGET", "medium", ind.actual, None,
                                          f"{label}实际完成值“{ind.actual}”照抄指标值或带比较符号，未反映实际完成情况。"))
        target = result.target
        if isinstance(target, Text) and (is_cost_level2(ind.level2) or is_quantity_level2(ind.level2)):
            findings.append(ReviewFinding(row, "年度指标值", "TARGET_NOT_QUANTIFIED", "low", ind.target, None,
                                          f"{label}为{ind.level2}，指标值“{ind.target}”却是文字，未量化。"))
        if result.over_target:
            findings.append(ReviewFinding(row, "年度指标值", "TARGET_TOO_LOW", "low", ind.target, ind.actual,
                                          f"{label}完成值{ind.actual}达到指标值{ind.target}的{fmt.percent(parse_ratio(ind, target))}，目标可能偏低。"))
        if is_cost_level2(ind.level2) and result.kind == "quantitative" and result.direction != "reverse":
            findings.append(ReviewFinding(row, "年度指标值", "COST_WITHOUT_CEILING", "medium", ind.target, None,
                                          f"成本指标{label}的指标值“{ind.target}”未用“≤”。"))
        if (result.kind == "quantitative" and result.direction == "reverse" and is_quantity_level2(ind.level2)
                and isinstance(target, Quantity) and is_count(target)):
            findings.append(ReviewFinding(row, "年度指标值", "CEILING_ON_COUNT", "medium", ind.target, None,
                                          f"数量指标{label}的指标值“{ind.target}”对数量用了“≤”。"))
        if (ind.level1 == "满意度指标" and result.kind == "quantitative" and isinstance(actual_parsed, Quantity)
                and actual_parsed.dimension == "percent"
                and actual_parsed.value / 100 >= p.satisfaction_needs_basis_from and not survey_basis):
            findings.append(ReviewFinding(row, "实际完成值", "SATISFACTION_NO_BASIS", "medium", ind.actual, None,
                                          f"{label}满意度{ind.actual}，表中未见调查样本量和调查方式。"))
        rows.append(RowScore(row, ind.name, weight, published, result.recomputed, result.kind))

    # Table level (rules.md §6, §7.1, §7.2, §7.6).
    indicator_rows = [r for r in rows if r.kind != "execution"]
    if indicator_rows and all(r.published is not None and r.weight is not None and r.published >= r.weight - 1e-9
                              for r in indicator_rows) and len(indicator_rows) >= 3:
        findings.append(ReviewFinding(None, "得分", "ALL_FULL_MARKS", "low", None, None,
                                      f"全部{len(indicator_rows)}项指标均为满分。"))
    weights = [r.weight for r in rows if r.weight is not None]
    table_total = cell(table.total_weight, "总分", "分值", "总分行") or rules.total
    if abs(sum(weights) - table_total) > rules.weight_tolerance:
        findings.append(ReviewFinding("总分", "分值", "WEIGHTS_SUM_MISMATCH", "high", table_total, sum(weights),
                                      f"各项分值合计{fmt.score(sum(weights))}，与总分{fmt.score(table_total)}不一致。"))
    if rules.level1_weights is not None and funds is not None:
        for level1, expected in rules.level1_weights.items():
            got = level1_sums.get(level1, 0.0)
            if abs(got - expected) > rules.weight_tolerance:
                findings.append(ReviewFinding(level1, "分值", "LEVEL1_WEIGHTS_DIFFER", "low", got, expected,
                                              f"{level1}分值合计{fmt.score(got)}，{rules.title}为{fmt.score(expected)}。"))
    published_total = cell(table.published_total, "总分", "得分", "总分行")
    published_rows = [r.published for r in rows if r.published is not None]
    if published_total is not None and published_rows and abs(sum(published_rows) - published_total) > 0.005:
        findings.append(ReviewFinding("总分", "得分", "TOTAL_SUM_MISMATCH", "high", published_total, round(sum(published_rows), 4),
                                      f"总分填{fmt.score(published_total)}，各行得分合计为{fmt.score(sum(published_rows))}。"))
    recomputed_values = [r.recomputed for r in rows]
    recomputed_total = math.fsum(recomputed_values) if all(v is not None for v in recomputed_values) else None
    if published_total is None and is_blank_cell(table.published_total):
        findings.append(ReviewFinding("总分", "得分", "SCORE_BLANK", "medium", None, recomputed_total, "未填总分。"))
    rows_only_rounded = (
        published_total is not None and recomputed_total is not None and published_rows
        and abs(sum(published_rows) - published_total) <= 0.005
        and not any(f.code in ("SCORE_MISMATCH", "QUALITATIVE_OUT_OF_BAND") for f in findings)
        and all(r.published is not None for r in rows)
    )
    if rows_only_rounded and abs(published_total - recomputed_total) > 0.005:
        findings.append(ReviewFinding("总分", "得分", "ROUNDING", "low", published_total, round(recomputed_total, 4),
                                      f"总分填{fmt.score(published_total)}，计算值{fmt.score(recomputed_total)}，"
                                      "差异来自各行得分的四舍五入。"))
    else:
        _compare(findings, "总分", "得分", "总分", published_total, recomputed_total, tol, "TOTAL_MISMATCH", "")
    grade = grade_of_text(table.published_grade)
    if grade and published_total is not None and grade != rules.grade_of(published_total):
        findings.append(ReviewFinding("总分", "等级", "GRADE_BAND_MISMATCH", "high", grade, rules.grade_of(published_total),
                                      f"等级填“{grade}”，而填报总分{fmt.score(published_total)}对应“{rules.grade_of(published_total)}”。"))
    recomputed_grade = rules.grade_of(recomputed_total) if recomputed_total is not None else None
    if grade and recomputed_grade and grade != recomputed_grade:
        findings.append(ReviewFinding("总分", "等级", "GRADE_MISMATCH", "high", grade, recomputed_grade,
                                      f"等级填“{grade}”，按复核总分{fmt.score(recomputed_total)}应为“{recomputed_grade}”。"))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], _row_key(f.row), f.code))
    return Review(table, findings, rows, published_total, recomputed_total, grade, recomputed_grade,
                  exec_rate, readings)


def _row_key(row) -> tuple:
    return (0, row, "") if isinstance(row, int) else (1, 0, str(row or ""))


def _safe_parse(text: str):
    try:
        return parse_value(text)
    except QuantityError:
        return None


def number_cell_safe(value: Cell) -> float | None:
    try:
        return number_cell(value)
    except CellError:
        return None


def parse_ratio(ind: PublishedIndicator, target: Quantity) -> float | None:
    actual = _safe_parse(ind.actual)
    if isinstance(actual, Quantity) and target.value:
        return convert(actual, target) / target.value
    return None
