"""Scores of the execution rate, of each indicator, the total and the grade (rules.md §3–§6).

Pure functions: they take models and a :class:`~selfeval_lib.core.rules.RuleSet` and return floats
at full precision (round only for display). A = 年度指标值 (target), B = 实际完成值 (actual),
w = 分值 (weight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from selfeval_lib.core.model import Indicator
from selfeval_lib.core.quantity import (
    Blank,
    Direction,
    Quantity,
    QuantityError,
    Text,
    TimePoint,
    convert,
    parse_value,
)
from selfeval_lib.core.rules import Band, ExecutionRule, RuleSet

Kind = Literal["quantitative", "time", "qualitative", "unmeasured"]


class ScoringError(ValueError):
    """An indicator that cannot be scored as written (message in Chinese)."""


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """The score of one indicator and what it was computed from (values in base units)."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: float
    score: float
    kind: Kind
    direction: Direction | None
    band: str | None
    target_value: float | None
    actual_value: float | None
    over_target: bool
    actual_copies_target: bool
    actual_has_operator: bool
    deviation_reason: str


def capped_ratio_score(rate: float, weight: float) -> float:
    """w × min(rate, 1), never negative."""
    return weight * min(max(rate, 0.0), 1.0)


def execution_score(execution_rate: float, rule: ExecutionRule) -> float:
    """预算执行率得分 = w × min(执行率, 1) (rules.md §3)."""
    return capped_ratio_score(execution_rate, rule.weight)


def positive_score(target: float, actual: float, weight: float) -> float:
    """正向/等于指标: full w if B ≥ A, else w × B / A; A = 0 gives full w; B < 0 counts as 0."""
    actual = max(actual, 0.0)
    if target <= 0 or actual >= target:
        return weight
    return weight * actual / target


def equal_score(target: float, actual: float, weight: float) -> float:
    """等于指标: as :func:`positive_score`, except A = 0: full w if B ≤ 0, else 0."""
    if target == 0:
        return weight if actual <= 0 else 0.0
    return positive_score(target, actual, weight)


def reverse_score(target: float, actual: float, weight: float, formula: str) -> float:
    """反向指标 (成本等): full w if B ≤ A; else ``ratio`` w × A / B or ``linear``
    w × max(0, 1 − (B − A) / A). A = 0: full w if B ≤ 0, else 0."""
    actual = max(actual, 0.0)
    if actual <= target:
        return weight
    if target <= 0:
        return 0.0
    if formula == "ratio":
        return weight * target / actual
    return weight * max(0.0, 1.0 - (actual - target) / target)


def time_score(target: date, actual: date, weight: float) -> float:
    """时效指标: full w when the actual date is on or before the target date, else 0."""
    return weight if actual <= target else 0.0


@dataclass(frozen=True, slots=True)
class QuantitativeResult:
    """The score of a measured indicator and what it came from (values in base units)."""

    score: float
    direction: Direction
    target_value: float
    actual_value: float
    shortfall: bool
    over_target: bool


def quantitative_score(target: Quantity, actual: Quantity, weight: float, rules: RuleSet) -> QuantitativeResult:
    """A measured indicator (rules.md §4): the direction from the target's operator ("=" when
    none), the actual converted to the target's unit (:class:`UnitMismatch` when it cannot be),
    the score never above w, a shortfall when the target is missed, and B ≥ ratio × A flagged."""
    a = target.value
    b = convert(actual, target)
    direction: Direction = target.direction or "equal"
    if direction == "reverse":
        score, shortfall = reverse_score(a, b, weight, rules.reverse_formula), b > a
    elif direction == "equal":
        score, shortfall = equal_score(a, b, weight), (b > 0 if a == 0 else b < a)
    else:
        score, shortfall = positive_score(a, b, weight), b < a
    over = direction == "positive" and a > 0 and b >= rules.problems.over_target_ratio * a
    return QuantitativeResult(min(score, weight), direction, a, b, shortfall, over)


def _same_text(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def copies_target(actual: str, target: str) -> bool:
    """An actual that repeats the target's wording or its operator ("≥95%" for "≥95%", "有效提升"
    for "有效提升"); "100%" achieved against a bare "100%" is exact achievement, not a copy."""
    if not actual.strip() or not _same_text(actual, target):
        return False
    try:
        parsed = parse_value(target)
    except QuantityError:
        return True
    return isinstance(parsed, Text) or getattr(parsed, "op_written", False)


def classify_band(actual: str, target: str, rules: RuleSet) -> Band:
    """The qualitative band an actual's words put it in; a copy of the target is 达成.

    Bands are tried from the worst up, so "未达成" is not read as "达成".
    """
    bands = rules.qualitative_bands
    if _same_text(actual, target):
        return bands[0]
    for band in reversed(bands[1:]):
        if any(word in actual for word in band.words):
            return band
    return bands[0]


def qualitative_score(band: Band, weight: float, given: float | None, is_first_band: bool) -> float:
    """定性指标 (rules.md §5): the unit's score, which must lie inside the band; without one,
    full w for 达成, an error for the lower bands."""
    if given is None:
        if is_first_band:
            return weight
        raise ScoringError(f"评价为“{band.name}”的定性指标须给出得分（{_band_range(band, weight)}）")
    low, high = band.low * weight, band.high * weight
    top_inclusive = is_first_band or band.high >= 1
    inside = low - 1e-9 <= given <= high + 1e-9 if top_inclusive else low - 1e-9 <= given < high - 1e-9
    if not inside:
        raise ScoringError(f"得分 {given:.12g} 不在“{band.name}”的分数区间（{_band_range(band, weight)}）内")
    return given


def _band_range(band: Band, weight: float) -> str:
    return f"{band.low * weight:g}–{band.high * weight:g} 分"


def _reference_year_date(point: TimePoint, year: int) -> date:
    try:
        return point.resolve(year)
    except ValueError as exc:  # 2月29日 in a non-leap year
        raise ScoringError(f"“{point.text}”不是有效日期") from exc


def score_indicator(indicator: Indicator, rules: RuleSet, year: int) -> IndicatorScore:
    """Score one indicator by the rule set; ``year`` completes dates written without one.

    Raises :class:`ScoringError` or :class:`~selfeval_lib.core.quantity.QuantityError` when the
    indicator cannot be scored as written (validation reports these before evaluation).
    """
    target = parse_value(indicator.target)
    actual = parse_value(indicator.actual)
    w = indicator.weight
    copies = copies_target(indicator.actual, indicator.target)
    has_op = isinstance(actual, (Quantity, TimePoint)) and actual.op_written
    base = dict(
        level1=indicator.level1,
        level2=indicator.level2,
        name=indicator.name,
        target=indicator.target,
        actual=indicator.actual,
        weight=w,
        actual_copies_target=copies,
        actual_has_operator=has_op,
        deviation_reason=indicator.deviation_reason,
    )
    if isinstance(target, Blank):
        raise ScoringError("年度指标值为空，无法评分")
    if isinstance(actual, Blank):
        return IndicatorScore(**base, score=0.0, kind="unmeasured", direction=None, band=None,
                              target_value=None, actual_value=None, over_target=False)

    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        result = quantitative_score(target, actual, w, rules)
        return IndicatorScore(**base, score=result.score, kind="quantitative", direction=result.direction,
                              band=None, target_value=result.target_value, actual_value=result.actual_value,
                              over_target=result.over_target)

    if isinstance(target, TimePoint) and isinstance(actual, TimePoint):
        deadline = _reference_year_date(target, year)
        done = _reference_year_date(actual, year)
        return IndicatorScore(**base, score=time_score(deadline, done, w), kind="time",
                              direction="reverse", band=None, target_value=None,
                              actual_value=None, over_target=False)

    if isinstance(target, Quantity) and isinstance(actual, TimePoint):
        raise ScoringError(f"实际完成值“{indicator.actual}”是日期，而年度指标值“{indicator.target}”是数量")
    if isinstance(target, TimePoint) and isinstance(actual, Quantity):
        raise ScoringError(f"实际完成值“{indicator.actual}”是数量，而年度指标值“{indicator.target}”是日期")

    # Qualitative: a text target, or a text actual against a measurable target.
    band = (
        rules.band_named(indicator.assessment)
        if indicator.assessment is not None
        else classify_band(indicator.actual, indicator.target, rules)
    )
    is_first = band == rules.qualitative_bands[0]
    score = qualitative_score(band, w, indicator.score, is_first)
    return IndicatorScore(**base, score=score, kind="qualitative", direction=None, band=band.name,
                          target_value=None, actual_value=None, over_target=False)


def total_score(execution: float, indicator_scores: list[float]) -> float:
    """总分 = 预算执行率得分 + Σ 指标得分 (rules.md §6), full precision (``math.fsum``, so that
    scores adding up to 90 give 90, not 89.99999999999999)."""
    return math.fsum([execution, *indicator_scores])


__all__ = [
    "IndicatorScore",
    "QuantityError",
    "ScoringError",
    "classify_band",
    "equal_score",
    "execution_score",
    "positive_score",
    "qualitative_score",
    "reverse_score",
    "score_indicator",
    "time_score",
    "total_score",
]
