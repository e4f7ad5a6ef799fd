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
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.findings import SEVERITY_ORDER, FindingCode
from selfeval_lib.core.fund_checks import (
    execution_over_budget,
    execution_reason_floor,
    execution_reason_missing,
)
from selfeval_lib.core.indicator_checks import (
    all_full_marks,
    has_survey_basis,
    level1_weight_gaps,
)
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.core.scoring import band_top_included, execution_score
from selfeval_lib.errors import CellError
from selfeval_lib.review.cells import (
    amount_cell,
    amount_reading,
    grade_of_text,
    is_blank_cell,
    is_dash_mark,
    number_cell,
    number_cell_or_none,
    rate_cell,
)
from selfeval_lib.review.funds_block import funds_amounts
from selfeval_lib.review.blocks import (
    block_scores,
    group_rows,
    merged_score_groups,
    printed_block_sums,
    split_text,
    template_split_of,
)
from selfeval_lib.review.rows import RowResult, compare_score, recompute_row, review_finding, rounds_to, row_findings
from selfeval_lib.review.table import (
    Cell,
    PublishedIndicator,
    PublishedTable,
    Review,
    ReviewFinding,
    RowScore,
)
from selfeval_lib.review.text_blocks import text_findings, text_reading
from selfeval_lib.review.value_readings import value_readings

C = FindingCode


def _readings(rules: RuleSet) -> list[str]:
    return [
        f"规则集：{rules.title}。",
        "反向指标超出目标时，" + ("按指标值与实际完成值之比折算得分" if rules.reverse_formula == "ratio"
                             else "按超出指标值的比例扣减得分") + "（规则集可选另一读法）。",
        "定性指标按实际完成情况的文字归档：" + "，".join(
            f"“{b.name}”[{fmt.percent(b.low, 0)},{fmt.percent(b.high, 0)}{']' if band_top_included(b, i == 0) else ')'}"
            for i, b in enumerate(rules.qualitative_bands)) + "；档内得分采用单位填报值。",
        f"得分差异不超过{fmt.score(rules.problems.review_rounding_tolerance)}分且等于计算值四舍五入（0、1或2位小数）的，"
        "列为低级别的取整差异。",
    ]


def review_table(table: PublishedTable, rules: RuleSet) -> Review:
    """Recompute the table under ``rules`` and list every discrepancy (docs/rules.md §7)."""
    p = rules.problems
    findings: list[ReviewFinding] = []
    rows: list[RowScore] = []
    year = table.project.year or 2000
    readings = _readings(rules)

    amount_unit = table.funds.amount_unit if table.funds is not None else "万元"

    def cell(value: Cell, row, field_name: str, label: str, rate: bool = False, amount: bool = False) -> float | None:
        """A printed number (a rate, an amount in the funds block's unit: "120.50万元"); an
        unreadable cell is an UNREADABLE_VALUE finding and None; OCR's dash for a blank is said."""
        if is_dash_mark(value):
            where = f"第{row}行" if isinstance(row, int) else ""
            readings.append(f"{where}{label}{field_name}“{value}”只有短横或等号，按空白单元格读取（扫描件识别的“——”）。")
        try:
            if amount:
                if (reading := amount_reading(value, amount_unit, field_name)) is not None:
                    readings.append(f"第{row}行{reading}" if isinstance(row, int) else reading)
                return amount_cell(value, amount_unit)
            return rate_cell(value) if rate else number_cell(value)
        except CellError as exc:
            findings.append(review_finding(row, field_name, C.UNREADABLE_VALUE, value, None, f"{label}{field_name}：{exc}。"))
            return None

    #: 偏差大或目标未完成原因分析 (a block below the table): the reason for the funds and every row.
    block_reason = (table.texts.reasons or "") if table.texts is not None else ""

    # Execution (docs/rules.md §3, §7.3).
    exec_rate = None
    funds = table.funds
    if funds is not None:
        row = funds.row or "资金"
        scale = 10_000 if funds.amount_unit == "万元" else 1
        budget = cell(funds.budget_full_year, row, "全年预算数", "预算执行：", amount=True)
        executed = cell(funds.executed, row, "全年执行数", "预算执行：", amount=True)
        amounts = funds_amounts(funds, budget, executed, cell)
        findings.extend(amounts.findings)
        readings.extend(amounts.readings)
        from_breakdown = (amounts.budget, amounts.executed) != (budget, executed)
        budget, executed = amounts.budget, amounts.executed
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
            if from_breakdown and not printed_rate:
                readings.append("总额行的执行率为空或0，与其空白的金额一致，不另列执行率差异。")
            elif printed_rate is not None and abs(printed_rate - rate) > p.review_rate_tolerance:
                findings.append(review_finding(row, "执行率", C.EXECUTION_RATE_MISMATCH, fmt.percent(printed_rate),
                                               fmt.percent(rate),
                                               f"执行率填{fmt.percent(printed_rate)}，按全年执行数÷全年预算数应为{fmt.percent(rate)}。"))
            if execution_over_budget(rate):
                findings.append(review_finding(row, "执行率", C.EXECUTION_OVER_BUDGET, fmt.percent(printed_rate),
                                               fmt.percent(rate), f"执行率{fmt.percent(rate)}超过100%，超出预算执行。"))
            reason = funds.reason or (block_reason if rate < execution_reason_floor(rules) else "")
            if reason and not funds.reason:
                readings.append("资金表未填执行率偏低的原因，按表中“偏差大或目标未完成原因分析”栏所写读取。")
            if execution_reason_missing(rate, reason, rules):
                findings.append(review_finding(row, "原因", C.EXECUTION_REASON_MISSING, "", fmt.percent(rate),
                                               f"执行率{fmt.percent(rate)}低于{fmt.percent(execution_reason_floor(rules))}，未说明原因。"))
            exec_recomputed = execution_score(rate, rules.execution, exec_weight)
        elif printed_rate is not None:
            readings.append("资金表缺少预算数或执行数，执行率按填报值复核得分。")
            exec_recomputed = execution_score(printed_rate, rules.execution, exec_weight)
        if exec_published is None and is_blank_cell(funds.score):
            findings.append(review_finding(row, "得分", C.SCORE_BLANK, None, exec_recomputed, "预算执行率未填得分。"))
        compare_score(findings, row, "得分", "预算执行率", exec_published, exec_recomputed, rules, C.SCORE_MISMATCH, "得分")
        rows.append(RowScore(row, "预算执行率", exec_weight, exec_published, exec_recomputed, "execution"))
    else:
        readings.append("表中无预算执行率（如专项转移支付），总分只计绩效指标。")

    # Indicators (docs/rules.md §4, §5, §7.4–§7.8).
    level1_sums: dict[str, float] = {}
    survey_basis = table.survey is not None and has_survey_basis(
        number_cell_or_none(table.survey.sample_size), table.survey.method)
    table_total = number_cell_or_none(table.total_weight) or rules.total
    shares_read = False
    unweighted_results: list[tuple[PublishedIndicator, object, RowResult]] = []
    groups = merged_score_groups(table)  # one 得分 cell over rows that print their own 分值
    group_of = {k: first for first, (last, _) in groups.items() for k in range(first, last + 1)}
    merged: list[tuple[PublishedIndicator, object, float | None, RowResult]] = []
    group_published: float | None = None
    for index, ind in enumerate(table.indicators):
        row = ind.row if ind.row is not None else index + 1
        label = f"“{ind.name or f'第{index + 1}项'}”"
        if is_detail_row(ind):  # "其中…" under the indicator above: part of it, not scored on its own
            rows.append(RowScore(row, ind.name, None, None, None, "detail"))
            continue
        if block_reason and not ind.deviation_reason:
            ind = ind.model_copy(update={"deviation_reason": block_reason})
        weight = cell(ind.weight, row, "分值", label)
        share = None if is_blank_cell(ind.weight_share) else cell(ind.weight_share, row, "权重占比", label, rate=True)
        if weight is None and share is not None:  # Hebei: 分值 = 权重占比 × 总分
            weight, shares_read = share * table_total, True
        published = cell(ind.score, row, "得分", label)
        published = _converted(ind, row, label, share, published, rules, findings, readings, cell)
        if index in group_of:  # one 得分 cell over several rows: judged with them together
            if index == group_of[index]:
                group_published = published
            if weight is not None:
                level1_sums[ind.level1] = level1_sums.get(ind.level1, 0.0) + weight
            result = recompute_row(ind, weight or 1.0, None, rules, year, findings, row)
            findings.extend(row_findings(ind, row, label, weight, None, result, rules, survey_basis))
            merged.append((ind, row, weight, result))
            last, one_weight = groups[group_of[index]]
            if index == last:
                rows.extend(group_rows(merged, group_published, one_weight, rules, findings, readings))
                merged = []
            continue
        if weight is None:
            unweighted = not table.indicator_weights
            if is_blank_cell(ind.weight) and not unweighted:
                findings.append(review_finding(row, "分值", C.WEIGHT_BLANK, ind.weight, None, f"{label}未填分值。"))
            # No score without a weight; the row's other checks still apply (a dummy weight of 1).
            result = recompute_row(ind, 1.0, None, rules, year, findings, row)
            findings.extend(row_findings(ind, row, label, None, published, result, rules, survey_basis))
            rows.append(RowScore(row, ind.name, None, published, None, "unweighted" if unweighted else "unreadable"))
            unweighted_results.append((ind, row, result))
            continue
        level1_sums[ind.level1] = level1_sums.get(ind.level1, 0.0) + weight
        result = recompute_row(ind, weight, published, rules, year, findings, row)
        if published is None and is_blank_cell(ind.score):
            findings.append(review_finding(row, "得分", C.SCORE_BLANK, None, result.recomputed, f"{label}未填得分。"))
        compare_score(findings, row, "得分", label, published, result.recomputed, rules, C.SCORE_MISMATCH, "得分")
        findings.extend(row_findings(ind, row, label, weight, published, result, rules, survey_basis))
        rows.append(RowScore(row, ind.name, weight, published, result.recomputed, result.kind))

    if any(r.kind == "detail" for r in rows):
        readings.append("指标表中以“其中”开头、无分值和得分的行视为上一指标的明细，不单独计分或检查。")
    if shares_read:
        readings.append(f"表中以权重占比列示各指标权重，按总分{fmt.score(table_total, trim=True)}分折算为分值"
                        "（分值 = 权重占比 × 总分），折算得分与按规则计算的得分比较。")
    blocks: list[RowScore] = []
    if not table.indicator_weights and table.block_weights:
        blocks = block_scores(table, rules, rows, unweighted_results, findings, readings, cell)
    elif not table.indicator_weights:
        readings.append("表中各三级指标未列分值（如湖北省格式），这些指标的得分、总分和等级未按规则复核，"
                        "分值合计也不核对；指标值、完成值等其余检查照常进行。")
    elif table.block_weights:
        printed_block_sums(table, level1_sums, findings, cell)
    _table_findings(table, rules, rows, blocks, level1_sums, findings, readings, cell)
    published_total = cell(table.published_total, "总分", "得分", "总分行")
    scored = [r for r in rows if r.kind == "execution"] + blocks if blocks else rows
    recomputed_total = _total_findings(table, rules, scored, published_total, findings)
    grade = grade_of_text(table.published_grade)
    if grade and published_total is not None and grade != rules.grade_of(published_total):
        findings.append(review_finding("总分", "等级", C.GRADE_BAND_MISMATCH, grade, rules.grade_of(published_total),
                                       f"等级填“{grade}”，而填报总分{fmt.score(published_total)}对应“{rules.grade_of(published_total)}”。"))
    recomputed_grade = rules.grade_of(recomputed_total) if recomputed_total is not None else None
    if grade and recomputed_grade and grade != recomputed_grade:
        findings.append(review_finding("总分", "等级", C.GRADE_MISMATCH, grade, recomputed_grade,
                                       f"等级填“{grade}”，按复核总分{fmt.score(recomputed_total)}应为“{recomputed_grade}”。"))
    deductions = sum(1 for r in rows if r.published is not None and r.weight is not None and vocab.below_full_marks(r.published, r.weight))
    findings.extend(text_findings(table.texts, recomputed_grade, findings, deductions))
    if (reading := text_reading(table.texts)) is not None:
        readings.append(reading)
    readings.extend(value_readings(table))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], _row_key(f.row), f.code))
    return Review(table, findings, rows, published_total, recomputed_total, grade, recomputed_grade,
                  exec_rate, readings, blocks)


def _table_findings(table: PublishedTable, rules: RuleSet, rows: list[RowScore], blocks: list[RowScore],
                    level1_sums: dict[str, float], findings: list, readings: list[str], cell) -> None:
    """The table as a whole (docs/rules.md §6, §7.2, §7.6): full marks everywhere, weights (of the
    rows, or of the 一级指标 blocks when only those are printed), the split against the rule set's
    and its templates'."""
    indicator_rows = [r for r in rows if r.kind != "execution" and r.weight is not None]  # rows without a weight do not count
    if all_full_marks((r.published, r.weight) for r in indicator_rows):
        findings.append(review_finding(None, "得分", C.ALL_FULL_MARKS, None, None, f"全部{len(indicator_rows)}项指标均为满分。"))
    table_total = cell(table.total_weight, "总分", "分值", "总分行") or rules.total
    if not table.indicator_weights:
        if not blocks or any(b.weight is None for b in blocks):
            return
        level1_sums = {b.name: b.weight for b in blocks if b.weight is not None}
        what = "预算执行率与各一级指标分值合计"
    else:
        what = "各项分值合计"
    weights = [r.weight for r in rows if r.weight is not None] + [b.weight for b in blocks if b.weight is not None]
    if abs(sum(weights) - table_total) > rules.weight_tolerance and not table.ends_open:
        findings.append(review_finding("总分", "分值", C.WEIGHTS_SUM_MISMATCH, table_total, sum(weights),
                                       f"{what}{fmt.score(sum(weights))}，与总分{fmt.score(table_total)}不一致。"))
    if table.funds is None:  # a transfer table (no execution score) prints its own split
        return
    execution = next((r.weight for r in rows if r.kind == "execution"), None)
    template = template_split_of(rules, execution, level1_sums)
    if template is not None:
        readings.append(f"表中分值结构（{split_text(execution, level1_sums)}）为{template}的分值结构，"
                        f"按表中所印分值复核，不列为与{rules.title}不一致。")
        return
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
    recomputed_values = [r.recomputed for r in rows if r.kind != "merged"]  # a merged row counts in its block's
    recomputed_total = math.fsum(recomputed_values) if all(v is not None for v in recomputed_values) else None
    if table.ends_open and published_total is None:  # a table cut off is not a total left blank
        findings.append(review_finding("总分", "总分", C.TABLE_INCOMPLETE, None, None,
                                       f"表格在第{rows[-1].row if rows else '—'}行的指标行之后结束，没有总分行，可能不完整"
                                       "（缺少续表或页面）；分值合计、总分和等级未复核，请核对原件。"))
    elif published_total is None and is_blank_cell(table.published_total):
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
        compare_score(findings, "总分", "得分", "总分", published_total, recomputed_total, rules, C.TOTAL_MISMATCH, "")
    return recomputed_total


def is_detail_row(ind) -> bool:
    """A "其中…" row under an indicator (其中桃树种植面积) with no weight and no score: a breakdown of
    the indicator above, read but not scored or checked on its own."""
    return (ind.name.strip().startswith("其中") and is_blank_cell(ind.weight) and is_blank_cell(ind.score)
            and is_blank_cell(ind.weight_share) and is_blank_cell(ind.item_score))


def _converted(ind, row, label: str, share: float | None, published: float | None, rules: RuleSet,
               findings: list, readings: list[str], cell) -> float | None:
    """Hebei's 折算得分 against 单项得分 × 权重占比 (CONVERTED_SCORE_MISMATCH); the product stands for a
    blank 折算得分. Returns the published score to compare with the rule's."""
    if share is None or is_blank_cell(ind.item_score):
        return published
    item = cell(ind.item_score, row, "单项得分", label)
    if item is None:
        return published
    converted = item * share
    if published is None and is_blank_cell(ind.score):
        readings.append(f"第{row}行未填折算得分，按单项得分×权重占比（{fmt.score(converted, trim=True)}）复核。")
        return converted
    p = rules.problems
    if published is not None and abs(published - converted) > p.review_score_tolerance \
            and not rounds_to(published, converted, p.review_rounding_tolerance):
        findings.append(review_finding(row, "得分", C.CONVERTED_SCORE_MISMATCH, published, round(converted, 4),
                                       f"{label}折算得分填{fmt.score(published)}，单项得分{fmt.score(item)}×权重占比"
                                       f"{fmt.percent(share)}应为{fmt.score(converted)}。"))
    return published


def _row_key(row) -> tuple:
    return (0, row, "") if isinstance(row, int) else (1, 0, str(row or ""))
