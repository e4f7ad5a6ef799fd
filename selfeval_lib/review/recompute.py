"""Review (复核) of a submitted self-evaluation table: recompute every score by the rule set and
list every discrepancy (docs/rules.md §7).

A :class:`PublishedTable` holds the table as published: cells as written (weights "20%" or
"20", scores, 执行率 "100%", amounts in 元 or 万元 as the header says), so nothing is corrected
on the way in. :func:`review_table` is pure: it recomputes the execution score, each indicator's
score (:mod:`selfeval_lib.review.rows`), the total and the grade with the core's scoring
functions, applies the core's checks, and returns :class:`ReviewFinding` rows — named with the
shared :class:`~selfeval_lib.core.findings.FindingCode` — with the published and the recomputed
value and a Chinese explanation. Differences that rounding explains are a separate,
low-severity code (``ROUNDING``), so the real errors stand out. Where the rules leave room,
:attr:`Review.readings` says which reading was applied.
"""

from __future__ import annotations

import math

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import SEVERITY_ORDER, FindingCode
from selfeval_lib.core.fund_checks import execution_over_budget, execution_reason_floor, execution_reason_missing
from selfeval_lib.core.indicator_checks import all_full_marks, has_survey_basis, level1_weight_gaps
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.core.scoring import band_top_included, execution_score
from selfeval_lib.errors import CellError
from selfeval_lib.review.cells import grade_of_text, is_blank_cell, number_cell, number_cell_or_none, rate_cell
from selfeval_lib.review.rows import recompute_row, review_finding, row_findings
from selfeval_lib.review.table import Cell, PublishedTable, Review, ReviewFinding, RowScore

C = FindingCode


def _rounds_to(published: float, recomputed: float, tolerance: float) -> bool:
    """True when the published value is the recomputed one rounded (to 0, 1 or 2 decimals)."""
    if abs(published - recomputed) > tolerance + 1e-9:
        return False
    return any(abs(published - round(recomputed, digits)) < 1e-9 for digits in (0, 1, 2))


def _compare(findings: list, row, field_name: str, label: str, published: float | None,
             recomputed: float | None, rules: RuleSet, code: FindingCode, what: str) -> None:
    """A published score against the rule's: equal within ``review_score_tolerance``, a rounding
    within ``review_rounding_tolerance``, else ``code``."""
    if published is None or recomputed is None:
        return
    p = rules.problems
    if abs(published - recomputed) <= p.review_score_tolerance:
        return
    if _rounds_to(published, recomputed, p.review_rounding_tolerance):
        findings.append(review_finding(row, field_name, C.ROUNDING, published, round(recomputed, 4),
                                       f"{label}{what}填{fmt.score(published)}，计算值{fmt.score(recomputed)}，差异仅为四舍五入。"))
    else:
        findings.append(review_finding(row, field_name, code, published, round(recomputed, 4),
                                       f"{label}{what}填{fmt.score(published)}，按规则应为{fmt.score(recomputed)}。"))


def _readings(rules: RuleSet) -> list[str]:
    return [
        f"规则集：{rules.title}（{rules.name}）。",
        f"反向指标超出目标时按“{'分值×A/B' if rules.reverse_formula == 'ratio' else '分值×(1−(B−A)/A)'}”计分（docs/rules.md §4，另一读法见规则集 reverse_formula）。",
        "定性指标按实际完成情况的文字归档：" + "，".join(
            f"“{b.name}”[{fmt.percent(b.low, 0)},{fmt.percent(b.high, 0)}{']' if band_top_included(b, i == 0) else ')'}"
            for i, b in enumerate(rules.qualitative_bands)) + "；档内得分采用单位填报值（docs/rules.md §5）。",
        f"得分差异不超过{fmt.score(rules.problems.review_rounding_tolerance)}分且等于计算值四舍五入（0、1或2位小数）的，列为“ROUNDING”低级别差异。",
    ]


def review_table(table: PublishedTable, rules: RuleSet) -> Review:
    """Recompute the table under ``rules`` and list every discrepancy (docs/rules.md §7)."""
    p = rules.problems
    findings: list[ReviewFinding] = []
    rows: list[RowScore] = []
    year = table.project.year or 2000
    readings = _readings(rules)

    def cell(value: Cell, row, field_name: str, label: str, rate: bool = False) -> float | None:
        try:
            return rate_cell(value) if rate else number_cell(value)
        except CellError as exc:
            findings.append(review_finding(row, field_name, C.UNREADABLE_VALUE, value, None, f"{label}{field_name}：{exc}。"))
            return None

    # Execution (docs/rules.md §3, §7.3).
    exec_rate = None
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
        exec_recomputed = None
        rate = executed * scale / (budget * scale) if budget and executed is not None else None
        if not budget:
            findings.append(review_finding(row, "全年预算数", C.FUNDS_INCOMPLETE, funds.budget_full_year, None,
                                           "资金表的全年预算数为0或未填，无法按全年执行数÷全年预算数复核执行率"
                                           "（金额可能只填在“其中”各行）。"))
        exec_rate = rate if rate is not None else printed_rate
        if rate is not None:
            if printed_rate is not None and abs(printed_rate - rate) > p.review_rate_tolerance:
                findings.append(review_finding(row, "执行率", C.EXECUTION_RATE_MISMATCH, fmt.percent(printed_rate),
                                               fmt.percent(rate),
                                               f"执行率填{fmt.percent(printed_rate)}，按全年执行数÷全年预算数应为{fmt.percent(rate)}。"))
            if execution_over_budget(rate):
                findings.append(review_finding(row, "执行率", C.EXECUTION_OVER_BUDGET, fmt.percent(printed_rate),
                                               fmt.percent(rate), f"执行率{fmt.percent(rate)}超过100%，超出预算执行。"))
            if execution_reason_missing(rate, funds.reason, rules):
                findings.append(review_finding(row, "原因", C.EXECUTION_REASON_MISSING, "", fmt.percent(rate),
                                               f"执行率{fmt.percent(rate)}低于{fmt.percent(execution_reason_floor(rules))}，未说明原因。"))
            exec_recomputed = execution_score(rate, rules.execution, exec_weight)
        elif printed_rate is not None:
            readings.append("资金表缺少预算数或执行数，执行率按填报值复核得分。")
            exec_recomputed = execution_score(printed_rate, rules.execution, exec_weight)
        if exec_published is None and is_blank_cell(funds.score):
            findings.append(review_finding(row, "得分", C.SCORE_BLANK, None, exec_recomputed, "预算执行率未填得分。"))
        _compare(findings, row, "得分", "预算执行率", exec_published, exec_recomputed, rules, C.SCORE_MISMATCH, "得分")
        rows.append(RowScore(row, "预算执行率", exec_weight, exec_published, exec_recomputed, "execution"))
    else:
        readings.append("表中无预算执行率（如专项转移支付），总分只计绩效指标。")

    # Indicators (docs/rules.md §4, §5, §7.4–§7.8).
    level1_sums: dict[str, float] = {}
    survey_basis = table.survey is not None and has_survey_basis(
        number_cell_or_none(table.survey.sample_size), table.survey.method)
    for index, ind in enumerate(table.indicators):
        row = ind.row if ind.row is not None else index + 1
        label = f"“{ind.name or f'第{index + 1}项'}”"
        weight = cell(ind.weight, row, "分值", label)
        published = cell(ind.score, row, "得分", label)
        if weight is None:
            if is_blank_cell(ind.weight):
                findings.append(review_finding(row, "分值", C.WEIGHT_BLANK, ind.weight, None, f"{label}未填分值。"))
            rows.append(RowScore(row, ind.name, None, published, None, "unreadable"))
            continue
        level1_sums[ind.level1] = level1_sums.get(ind.level1, 0.0) + weight
        result = recompute_row(ind, weight, published, rules, year, findings, row)
        if published is None and is_blank_cell(ind.score):
            findings.append(review_finding(row, "得分", C.SCORE_BLANK, None, result.recomputed, f"{label}未填得分。"))
        _compare(findings, row, "得分", label, published, result.recomputed, rules, C.SCORE_MISMATCH, "得分")
        findings.extend(row_findings(ind, row, label, weight, published, result, rules, survey_basis))
        rows.append(RowScore(row, ind.name, weight, published, result.recomputed, result.kind))

    _table_findings(table, rules, rows, level1_sums, findings, cell)
    published_total = cell(table.published_total, "总分", "得分", "总分行")
    recomputed_total = _total_findings(table, rules, rows, published_total, findings)
    grade = grade_of_text(table.published_grade)
    if grade and published_total is not None and grade != rules.grade_of(published_total):
        findings.append(review_finding("总分", "等级", C.GRADE_BAND_MISMATCH, grade, rules.grade_of(published_total),
                                       f"等级填“{grade}”，而填报总分{fmt.score(published_total)}对应“{rules.grade_of(published_total)}”。"))
    recomputed_grade = rules.grade_of(recomputed_total) if recomputed_total is not None else None
    if grade and recomputed_grade and grade != recomputed_grade:
        findings.append(review_finding("总分", "等级", C.GRADE_MISMATCH, grade, recomputed_grade,
                                       f"等级填“{grade}”，按复核总分{fmt.score(recomputed_total)}应为“{recomputed_grade}”。"))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], _row_key(f.row), f.code))
    return Review(table, findings, rows, published_total, recomputed_total, grade, recomputed_grade,
                  exec_rate, readings)


def _table_findings(table: PublishedTable, rules: RuleSet, rows: list[RowScore], level1_sums: dict[str, float],
                    findings: list, cell) -> None:
    """The table as a whole (docs/rules.md §6, §7.2, §7.6): full marks everywhere, weights."""
    indicator_rows = [r for r in rows if r.kind != "execution"]
    if all_full_marks((r.published, r.weight) for r in indicator_rows):
        findings.append(review_finding(None, "得分", C.ALL_FULL_MARKS, None, None, f"全部{len(indicator_rows)}项指标均为满分。"))
    weights = [r.weight for r in rows if r.weight is not None]
    table_total = cell(table.total_weight, "总分", "分值", "总分行") or rules.total
    if abs(sum(weights) - table_total) > rules.weight_tolerance:
        findings.append(review_finding("总分", "分值", C.WEIGHTS_SUM_MISMATCH, table_total, sum(weights),
                                       f"各项分值合计{fmt.score(sum(weights))}，与总分{fmt.score(table_total)}不一致。"))
    if table.funds is not None:  # a transfer table (no execution score) prints its own split
        for level1, got, expected in level1_weight_gaps(level1_sums, rules):
            findings.append(review_finding(level1, "分值", C.LEVEL1_WEIGHTS_DIFFER, got, expected,
                                           f"{level1}分值合计{fmt.score(got)}，{rules.title}为{fmt.score(expected)}。"))


def _total_findings(table: PublishedTable, rules: RuleSet, rows: list[RowScore], published_total: float | None,
                    findings: list) -> float | None:
    """The published total against Σ published rows and against the recomputed total (docs/rules.md §6);
    returns the recomputed total (None when a row cannot be recomputed)."""
    tol = rules.problems.review_score_tolerance
    published_rows = [r.published for r in rows if r.published is not None]
    if published_total is not None and published_rows and abs(sum(published_rows) - published_total) > tol:
        findings.append(review_finding("总分", "得分", C.TOTAL_SUM_MISMATCH, published_total, round(sum(published_rows), 4),
                                       f"总分填{fmt.score(published_total)}，各行得分合计为{fmt.score(sum(published_rows))}。"))
    recomputed_values = [r.recomputed for r in rows]
    recomputed_total = math.fsum(recomputed_values) if all(v is not None for v in recomputed_values) else None
    if published_total is None and is_blank_cell(table.published_total):
        findings.append(review_finding("总分", "得分", C.SCORE_BLANK, None, recomputed_total, "未填总分。"))
    rows_only_rounded = (
        published_total is not None and recomputed_total is not None and published_rows
        and abs(sum(published_rows) - published_total) <= tol
        and not any(f.code in (C.SCORE_MISMATCH, C.QUALITATIVE_OUT_OF_BAND) for f in findings)
        and all(r.published is not None for r in rows)
    )
    if rows_only_rounded and abs(published_total - recomputed_total) > tol:
        findings.append(review_finding("总分", "得分", C.ROUNDING, published_total, round(recomputed_total, 4),
                                       f"总分填{fmt.score(published_total)}，计算值{fmt.score(recomputed_total)}，"
                                       "差异来自各行得分的四舍五入。"))
    else:
        _compare(findings, "总分", "得分", "总分", published_total, recomputed_total, rules, C.TOTAL_MISMATCH, "")
    return recomputed_total


def _row_key(row) -> tuple:
    return (0, row, "") if isinstance(row, int) else (1, 0, str(row or ""))
