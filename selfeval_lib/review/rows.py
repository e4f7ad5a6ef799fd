"""One indicator row of a published table: its score recomputed by the core's scoring functions
and the core's indicator checks applied to it (docs/rules.md §4–§5, §7.4–§7.8).

The checks are those of :mod:`selfeval_lib.core.indicator_checks`, so a row and a params
indicator with the same fields give the same finding codes; only the wording is the review's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.findings import FindingCode, severity_of
from selfeval_lib.core.indicator_checks import (
    actual_blank,
    actual_copies_target,
    actual_not_measured,
    ceiling_on_count,
    cost_target_without_ceiling,
    deduction_without_reason,
    number_placeholder,
    placeholder_fields,
    safe_parse,
    satisfaction_needs_basis,
    satisfaction_rate,
    target_not_quantified,
)
from selfeval_lib.core.quantity import (
    Blank,
    Quantity,
    TimePoint,
    Value,
    convert,
    is_blank_text,
    parse_value,
)
from selfeval_lib.core.readings import read_against
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.core.scoring import (
    band_contains,
    band_limits,
    band_top_included,
    classify_band,
    qualitative_score,
    quantitative_score,
    resolve_date,
    time_score,
)
from selfeval_lib.errors import QuantityError, ScoringError
from selfeval_lib.review.table import PublishedIndicator, ReviewFinding

C = FindingCode


def review_finding(row: Any, field_name: str, code: FindingCode, published: Any, recomputed: Any,
                   message: str) -> ReviewFinding:
    """A :class:`ReviewFinding` with the code's severity."""
    return ReviewFinding(row, field_name, code, severity_of(code), published, recomputed, message)


@dataclass
class RowResult:
    """The rule's score of a row (None when it cannot be recomputed) and what it came from."""

    recomputed: float | None
    kind: str
    shortfall: bool = False
    over_target: bool = False
    direction: str | None = None
    target: Any = None
    actual: Any = None


def recompute_row(ind: PublishedIndicator, weight: float, published: float | None, rules: RuleSet, year: int,
                  findings: list, row: Any) -> RowResult:
    """The rule's score of one row (docs/rules.md §4–§5); problems reading it become findings."""
    label = f"“{ind.name}”"
    if placeholder_fields(target=ind.target, actual=ind.actual) or number_placeholder(ind.target) \
            or number_placeholder(ind.actual):
        return RowResult(None, "unreadable")  # a template's placeholder ("XX", "≥**平方米"): nothing to score
    try:
        target = parse_value(ind.target)
        actual = read_against(ind.actual, target, year)  # "9月" against "10月底前" is a date
    except QuantityError as exc:
        findings.append(review_finding(row, "target/actual", C.UNREADABLE_VALUE, f"{ind.target} / {ind.actual}",
                                       None, f"{label}{exc}，无法复核得分。"))
        return RowResult(None, "unreadable")
    result = _score_row(ind, target, actual, weight, published, rules, year, findings, row, label)
    result.actual = actual
    return result


def _score_row(ind: PublishedIndicator, target: Value, actual: Value, weight: float, published: float | None,
               rules: RuleSet, year: int, findings: list, row: Any, label: str) -> RowResult:
    """The rule's score of a row once its target and actual are read."""
    if isinstance(target, Blank) or isinstance(actual, Blank):
        return RowResult(0.0 if isinstance(actual, Blank) else None, "blank", target=target)
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        try:
            result = quantitative_score(target, actual, weight, rules)
        except QuantityError as exc:
            findings.append(review_finding(row, "actual", C.UNIT_MISMATCH, ind.actual, None, f"{label}{exc}。"))
            return RowResult(None, "unreadable", target=target)
        return RowResult(result.score, "quantitative", result.shortfall, result.over_target, result.direction, target)
    if isinstance(target, TimePoint) and isinstance(actual, TimePoint):
        try:
            deadline, done = resolve_date(target, year), resolve_date(actual, year)
        except ScoringError:
            findings.append(review_finding(row, "actual", C.UNREADABLE_VALUE, ind.actual, None,
                                           f"{label}日期无效，无法复核得分。"))
            return RowResult(None, "unreadable", target=target)
        return RowResult(time_score(deadline, done, weight), "time", done > deadline, target=target)
    if isinstance(target, (Quantity, TimePoint)) and isinstance(actual, (Quantity, TimePoint)):
        findings.append(review_finding(row, "actual", C.UNIT_MISMATCH, ind.actual, None,
                                       f"{label}实际完成值“{ind.actual}”与年度指标值“{ind.target}”类型不一致（数量与日期）。"))
        return RowResult(None, "unreadable", target=target)
    if isinstance(target, (Quantity, TimePoint)):  # words against a figure: unscorable (ACTUAL_NOT_MEASURED)
        return RowResult(None, "unreadable", target=target)
    return _qualitative(ind, target, weight, published, rules, findings, row, label)


def _qualitative(ind: PublishedIndicator, target: Value, weight: float, published: float | None, rules: RuleSet,
                 findings: list, row: Any, label: str) -> RowResult:
    """Qualitative (docs/rules.md §5): the band the actual's words give; the unit's score must lie
    in it (the core's edge rule); a score outside is a finding and is clamped to the band."""
    band = classify_band(ind.actual, ind.target, rules)
    first = band == rules.qualitative_bands[0]
    if published is None:
        try:
            score: float | None = qualitative_score(band, weight, None, first)
        except ScoringError:  # a lower band needs the unit's score
            score = None
        return RowResult(score, "qualitative", not first, target=target)
    if band_contains(band, weight, published, first):
        return RowResult(qualitative_score(band, weight, published, first), "qualitative", not first, target=target)
    low, high = band_limits(band, weight)
    findings.append(review_finding(
        row, "score", C.QUALITATIVE_OUT_OF_BAND, published, f"{fmt.score(low)}–{fmt.score(high)}",
        f"{label}完成情况“{ind.actual}”属“{band.name}”档，得分应在{fmt.score(low)}–{fmt.score(high)}分"
        f"{'' if band_top_included(band, first) else '（不含上限）'}，填报{fmt.score(published)}分。"))
    return RowResult(min(max(published, low), high), "qualitative", not first, target=target)


def row_findings(ind: PublishedIndicator, row: Any, label: str, weight: float | None, published: float | None,
                 result: RowResult, rules: RuleSet, survey_basis: bool) -> list[ReviewFinding]:
    """The core's indicator checks on one published row (with the review's own: a score above
    the weight, full marks despite a shortfall); without a weight the checks of the score are
    left out."""
    out: list[ReviewFinding] = []
    add = out.append
    target = safe_parse(ind.target)
    actual = result.actual if result.actual is not None else safe_parse(ind.actual)
    texts = {"三级指标": ind.name, "年度指标值": ind.target, "实际完成值": ind.actual}
    for field_name in placeholder_fields(**texts):
        add(review_finding(row, field_name, C.PLACEHOLDER_TEXT, texts[field_name], None,
                           f"{label}的{field_name}“{texts[field_name]}”是占位内容。"))
    for field_name in ("年度指标值", "实际完成值"):
        if mark := number_placeholder(texts[field_name]):
            where = "数值处留空" if mark == "空格" else f"数值处是模板的占位符“{mark}”"
            add(review_finding(row, field_name, C.PLACEHOLDER_TEXT, texts[field_name], None,
                               f"{label}的{field_name}“{texts[field_name]}”{where}，未填写数值，无法复核得分。"))
    if is_blank_text(ind.target):
        add(review_finding(row, "年度指标值", C.TARGET_BLANK, ind.target, None, f"{label}未填年度指标值，无法判断完成情况。"))
    if result.kind == "blank" and actual_blank(actual):
        add(review_finding(row, "实际完成值", C.ACTUAL_BLANK, ind.actual, 0,
                           f"{label}未填实际完成值{'，却得' + fmt.score(published) + '分' if published else ''}，应按0分计。"))
    if actual_not_measured(target, actual):
        add(review_finding(row, "actual", C.ACTUAL_NOT_MEASURED, ind.actual, None,
                           f"{label}为定量指标（{ind.target}），实际完成值却是文字“{ind.actual}”，无法按指标值复核得分。"))
    if weight is not None and published is not None and vocab.above_weight(published, weight):
        add(review_finding(row, "得分", C.SCORE_ABOVE_WEIGHT, published, weight,
                           f"{label}得分{fmt.score(published)}超过分值{fmt.score(weight)}。"))
    if weight is not None and deduction_without_reason(published, weight, ind.deviation_reason):
        add(review_finding(row, "偏差原因分析", C.DEDUCTION_WITHOUT_REASON, published, None,
                           f"{label}扣分（{fmt.score(published)}/{fmt.score(weight)}）但未分析偏差原因。"))
    if (weight is not None and result.shortfall and published is not None and vocab.at_full_marks(published, weight)
            and result.kind != "qualitative"):
        add(review_finding(row, "得分", C.SHORTFALL_FULL_MARKS, published, result.recomputed,
                           f"{label}实际完成{ind.actual}未达到指标值{ind.target}，却得满分。"))
    if actual_copies_target(ind.actual, ind.target):
        add(review_finding(row, "实际完成值", C.ACTUAL_COPIES_TARGET, ind.actual, None,
                           f"{label}实际完成值“{ind.actual}”照抄指标值或带比较符号，未反映实际完成情况。"))
    if target_not_quantified(ind.level2, result.target):
        add(review_finding(row, "年度指标值", C.TARGET_NOT_QUANTIFIED, ind.target, None,
                           f"{label}为{ind.level2}，指标值“{ind.target}”却是文字，未量化。"))
    if result.over_target:
        add(review_finding(row, "年度指标值", C.TARGET_TOO_LOW, ind.target, ind.actual,
                           f"{label}完成值{ind.actual}达到指标值{ind.target}的{fmt.percent(_ratio(actual, result.target))}，目标可能偏低。"))
    if cost_target_without_ceiling(ind.level2, target):  # whatever the actual (blank, words, a number)
        add(review_finding(row, "年度指标值", C.COST_WITHOUT_CEILING, ind.target, None,
                           f"成本指标{label}的指标值“{ind.target}”未用“≤”。"))
    if ceiling_on_count(ind.level2, result.kind, result.direction, result.target):
        add(review_finding(row, "年度指标值", C.CEILING_ON_COUNT, ind.target, None,
                           f"数量指标{label}的指标值“{ind.target}”对数量用了“≤”。"))
    rate = satisfaction_rate(actual, target) if "满意度" in ind.level1 + ind.level2 else None
    if rate is not None and satisfaction_needs_basis(rate, rules) and not survey_basis:  # "95%" or a bare "95"
        add(review_finding(row, "实际完成值", C.SATISFACTION_NO_BASIS, ind.actual, None,
                           f"{label}满意度{ind.actual}，表中未见调查样本量和调查方式。"))
    return out


def rounds_to(published: float, recomputed: float, tolerance: float) -> bool:
    """True when the published value is the recomputed one rounded (to 0, 1 or 2 decimals)."""
    if abs(published - recomputed) > tolerance + vocab.SCORE_NOISE:
        return False
    return any(abs(published - round(recomputed, digits)) < vocab.SCORE_NOISE for digits in (0, 1, 2))


def compare_score(findings: list, row, field_name: str, label: str, published: float | None,
                  recomputed: float | None, rules: RuleSet, code: FindingCode, what: str) -> None:
    """A published score against the rule's: equal within ``review_score_tolerance``, a rounding
    within ``review_rounding_tolerance``, else ``code``."""
    if published is None or recomputed is None:
        return
    p = rules.problems
    if abs(published - recomputed) <= p.review_score_tolerance:
        return
    if rounds_to(published, recomputed, p.review_rounding_tolerance):
        findings.append(review_finding(row, field_name, C.ROUNDING, published, round(recomputed, 4),
                                       f"{label}{what}填{fmt.score(published)}，计算值{fmt.score(recomputed)}，差异仅为四舍五入。"))
    else:
        findings.append(review_finding(row, field_name, code, published, round(recomputed, 4),
                                       f"{label}{what}填{fmt.score(published)}，按规则应为{fmt.score(recomputed)}。"))


def _ratio(actual: Value | None, target: Quantity) -> float | None:
    """B / A in the target's unit."""
    if isinstance(actual, Quantity) and target.value:
        return convert(actual, target) / target.value
    return None


__all__ = ["RowResult", "compare_score", "recompute_row", "review_finding", "rounds_to", "row_findings"]
