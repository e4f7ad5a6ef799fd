"""Tables that print the 分值 of each 一级指标 in its cell (产出指标（60分）) and none per row (Hubei's
template): each block scored as a whole, never with invented row weights; the rows' weights
against a printed block weight; a template's own split of the 100 points (the rule set's
``template_splits``). Pure."""

from __future__ import annotations

import math

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.findings import FindingCode
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.review.cells import is_blank_cell, number_cell_or_none
from selfeval_lib.review.rows import RowResult, compare_score, review_finding
from selfeval_lib.review.table import PublishedIndicator, PublishedTable, RowScore

C = FindingCode


def merged_score_groups(table: PublishedTable) -> dict[int, tuple[int, bool]]:
    """First index → (last index, one 分值 cell too) of the rows one 得分 cell covers where the
    rows print their 分值 each, or one 分值 cell covers the same rows (one score for a 二级指标
    block); a group with a row whose 分值 is blank otherwise is left out."""
    groups: dict[int, tuple[int, bool]] = {}
    if not table.indicator_weights:
        return groups
    inds = table.indicators
    for i, ind in enumerate(inds):
        last = min(i + ind.score_span, len(inds)) - 1
        if last <= i:
            continue
        one_weight = ind.weight_span == ind.score_span and not is_blank_cell(ind.weight)
        if one_weight or not any(is_blank_cell(inds[k].weight) for k in range(i, last + 1)):
            groups[i] = (last, one_weight)
    return groups


def group_rows(members: list[tuple[PublishedIndicator, object, float | None, RowResult]], published: float | None,
               one_weight: bool, rules: RuleSet, findings: list, readings: list[str]) -> list[RowScore]:
    """The rows of one merged 得分 cell (:func:`merged_score_groups`): with a 分值 per row, the cell
    against the sum of their scores; with one 分值 cell too, the block as a whole (its 分值 when
    every row meets its target, not recomputed otherwise: the rows' weights are not printed)."""
    inds, results = [m[0] for m in members], [m[3] for m in members]
    first, last = members[0][1], members[-1][1]
    if one_weight:
        weight = members[0][2] or 0.0
        met = all(r.kind not in ("unreadable", "blank") and not r.shortfall
                  and (r.recomputed is None or vocab.at_full_marks(r.recomputed, 1)) for r in results)
        recomputed = weight if met else None
        readings.append(f"第{first}–{last}行共用一个分值和一个得分单元格，按一个整体复核"
                        + ("。" if met else "；有指标未完成，扣分多少取决于表中未列的各行分值，未复核扣分。"))
        out = [RowScore(first, inds[0].name, weight, published, recomputed, "group")]
        out += [RowScore(m[1], m[0].name, None, None, None, "merged") for m in members[1:]]
    else:
        weight = math.fsum(m[2] or 0.0 for m in members)
        scores = [r.recomputed for r in results]
        recomputed = math.fsum(scores) if all(v is not None for v in scores) else None  # type: ignore[arg-type]
        readings.append(f"第{first}–{last}行共用一个得分单元格（各行分值另列），按这几行得分之和复核。")
        out = [RowScore(m[1], m[0].name, m[2], published if k == 0 else None, m[3].recomputed, m[3].kind)
               for k, m in enumerate(members)]
    merged_score_findings(inds, first, weight, recomputed, results, published, rules, findings)
    return out


def merged_score_findings(inds: list[PublishedIndicator], first_row, weight: float, recomputed: float | None,
                          results: list[RowResult], published: float | None, rules: RuleSet, findings: list) -> None:
    """One 得分 cell merged over rows: the cell against the rows' score (SCORE_MISMATCH), their
    分值 (SCORE_ABOVE_WEIGHT), a row short of its target at full marks (SHORTFALL_FULL_MARKS), a
    deduction no row explains (DEDUCTION_WITHOUT_REASON), a blank cell (SCORE_BLANK)."""
    names = [ind.name for ind in inds]
    label = f"“{names[0]}”等{len(names)}项（合并得分）"
    if published is None:
        findings.append(review_finding(first_row, "得分", C.SCORE_BLANK, None, recomputed, f"{label}未填得分。"))
        return
    compare_score(findings, first_row, "得分", label, published, recomputed, rules, C.SCORE_MISMATCH, "得分")
    if vocab.above_weight(published, weight):
        findings.append(review_finding(first_row, "得分", C.SCORE_ABOVE_WEIGHT, published, weight,
                                       f"{label}得分{fmt.score(published)}超过分值{fmt.score(weight)}。"))
    short = [n for n, r in zip(names, results) if (r.shortfall or r.kind == "blank") and r.kind != "qualitative"]
    if short and vocab.at_full_marks(published, weight):
        findings.append(review_finding(first_row, "得分", C.SHORTFALL_FULL_MARKS, published, recomputed,
                                       f"{label}中“{short[0]}”未达到指标值，合并得分却为满分{fmt.score(weight)}。"))
    if vocab.below_full_marks(published, weight) and not any(ind.deviation_reason.strip() for ind in inds):
        findings.append(review_finding(first_row, "偏差原因分析", C.DEDUCTION_WITHOUT_REASON, published, None,
                                       f"{label}扣分（{fmt.score(published)}/{fmt.score(weight)}）但未分析偏差原因。"))


def split_text(execution: float | None, level1_sums: dict[str, float]) -> str:
    """"预算执行率20分、产出指标60分、效益指标10分、满意度指标10分"."""
    parts = ([f"预算执行率{fmt.score(execution, trim=True)}分"] if execution is not None else []) + [
        f"{name}{fmt.score(weight, trim=True)}分" for name, weight in level1_sums.items()]
    return "、".join(parts)


def template_split_of(rules: RuleSet, execution: float | None, level1_sums: dict[str, float]) -> str | None:
    """The title of the rule set's template whose split (the execution weight and each 一级指标's)
    the table prints, or None."""
    tol = rules.weight_tolerance
    for template in rules.template_splits:
        if execution is None or abs(execution - template.execution_weight) > tol:
            continue
        names = set(template.level1_weights) | set(level1_sums)
        if all(abs(level1_sums.get(n, 0.0) - template.level1_weights.get(n, 0.0)) <= tol for n in names):
            return template.title
    return None


def printed_block_sums(table: PublishedTable, level1_sums: dict[str, float], findings: list, cell) -> None:
    """A table that prints the rows' 分值 and each 一级指标's (产出指标（50分）): the rows of a block
    must add up to it (WEIGHTS_SUM_MISMATCH)."""
    for level1, printed in table.block_weights.items():
        weight = cell(printed, level1, "分值", f"{level1}：") if printed is not None else None
        got = level1_sums.get(level1)
        if weight is not None and got is not None and abs(got - weight) > 0.01:
            findings.append(review_finding(level1, "分值", C.WEIGHTS_SUM_MISMATCH, weight, round(got, 4),
                                           f"{level1}单元格注明{fmt.score(weight, trim=True)}分，其下各三级指标分值合计"
                                           f"{fmt.score(got, trim=True)}分，两者不一致。"))


def block_scores(table: PublishedTable, rules: RuleSet, rows: list[RowScore],
                 results: list[tuple[PublishedIndicator, object, RowResult]], findings: list, readings: list[str],
                 cell) -> list[RowScore]:
    """A table that prints each 一级指标's 分值 in its cell (产出指标（60分）) and none per row (Hubei):
    each block scored as a whole, never with invented row weights. The block's published score is
    the sum of its rows' scores (one per row or one per 二级指标 block); the rule's is the block's
    分值 when every row meets its target, unknown otherwise (how much a shortfall costs depends on
    row weights the table does not print). A block above its 分值 is SCORE_ABOVE_WEIGHT, a
    shortfall at full marks SHORTFALL_FULL_MARKS, a block without a score SCORE_BLANK, a
    deduction without a reason anywhere DEDUCTION_WITHOUT_REASON."""
    published_of = {r.row: r.published for r in rows}
    members: dict[str, list[tuple[PublishedIndicator, object, RowResult]]] = {}
    for ind, row, result in results:
        members.setdefault(ind.level1, []).append((ind, row, result))
    out: list[RowScore] = []
    partial: list[str] = []
    for level1, block in members.items():
        printed = table.block_weights.get(level1)
        label = f"{level1}（{fmt.score(number_cell_or_none(printed), trim=True)}分）" if number_cell_or_none(printed) is not None else level1
        weight = cell(printed, level1, "分值", f"{level1}：") if printed is not None else None
        scores = [published_of.get(row) for _, row, _ in block]
        published = math.fsum(v for v in scores if v is not None) if any(v is not None for v in scores) else None
        short = [ind.name for ind, _, result in block
                 if result.kind in ("blank",) or result.shortfall
                 or (result.recomputed is not None and vocab.below_full_marks(result.recomputed, 1))]
        readable = all(result.kind not in ("unreadable",) for _, _, result in block)
        recomputed = weight if weight is not None and readable and not short else None
        if published is None and all(is_blank_cell(ind.score) for ind, _, _ in block):
            findings.append(review_finding(level1, "得分", C.SCORE_BLANK, None, recomputed, f"{label}未填得分。"))
        if weight is None:
            readings.append(f"{level1}单元格未注明分值，该一级指标的得分未按规则复核。")
        elif published is not None:
            if vocab.above_weight(published, weight):
                findings.append(review_finding(level1, "得分", C.SCORE_ABOVE_WEIGHT, published, weight,
                                               f"{label}各项得分合计{fmt.score(published)}，超过其分值{fmt.score(weight)}。"))
            elif short and vocab.at_full_marks(published, weight):
                findings.append(review_finding(level1, "得分", C.SHORTFALL_FULL_MARKS, published, None,
                                               f"{label}中“{'”“'.join(short)}”未达到指标值，该一级指标却得满分"
                                               f"{fmt.score(published)}。"))

            reason_printed = table.texts is not None and table.texts.reasons is not None  # a place for it
            if vocab.below_full_marks(published, weight) and reason_printed and not any(ind.deviation_reason for ind, _, _ in block):
                findings.append(review_finding(level1, "偏差原因分析", C.DEDUCTION_WITHOUT_REASON, published, None,
                                               f"{label}扣分（{fmt.score(published)}/{fmt.score(weight)}）但表中未分析偏差原因。"))
            if short or not readable:
                partial.append(level1)
            compare_score(findings, level1, "得分", label, published, recomputed, rules, C.SCORE_MISMATCH, "各项得分合计")
        out.append(RowScore(level1, level1, weight, published, recomputed, "block"))
    readings.append("表中各三级指标未列分值，只在一级指标单元格注明分值（如湖北省格式）：按一级指标整体复核，"
                    "各项指标均达到指标值的一级指标应得满分；不推算各三级指标的分值。")
    if partial:
        readings.append(f"{'、'.join(partial)}有指标未达到指标值，扣分多少取决于表中未列的三级指标分值，"
                        "该一级指标的得分和总分未按规则复核。")
    return out
