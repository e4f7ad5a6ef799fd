"""Scores of the execution rate, of each indicator, the total and the grade (docs/rules.md §3–§6).

Pure functions: they take models and a :class:`~selfeval_lib.core.rules.RuleSet` and return floats
at full precision (round only for display). A = 年度指标值 (target), B = 实际完成值 (actual),
w = 分值 (weight). :func:`read_indicator` says whether an indicator can be scored as written
(what validation checks) without scoring it; :func:`score_indicator` scores what it read. The
actual is read in the context of its target (:func:`~selfeval_lib.core.readings.read_against`:
a bare "9月" against "10月底前" is September's end of the project year). The
review scores a published row with the same functions (``execution_score``, ``quantitative_score``,
``time_score``, ``classify_band`` / ``band_contains`` / ``qualitative_score``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from selfeval_lib.core.model import Indicator
from selfeval_lib.core.quantity import (
    Blank,
    Direction,
    Quantity,
    Text,
    TimePoint,
    Value,
    convert,
    is_lower_bound,
    is_strict_lower_bound,
    parse_value,
)
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.vocabulary import IndicatorKind
from selfeval_lib.core.readings import read_against
from selfeval_lib.core.rules import Band, ExecutionRule, RuleSet
from selfeval_lib.errors import QuantityError, ScoringError, UnitMismatch


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
    kind: IndicatorKind
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


def execution_score(execution_rate: float, rule: ExecutionRule, weight: float | None = None) -> float:
    """预算执行率得分 = w × min(执行率, 1) (docs/rules.md §3); w is the rule's, or ``weight``
    where a published table prints its own."""
    return capped_ratio_score(execution_rate, rule.weight if weight is None else weight)


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
    bound_over_ceiling: bool = False


def bound_over_ceiling(target: Quantity, actual: Quantity, actual_value: float) -> bool:
    """REVERSE_APPROX_OVER: a ceiling ("≦3500元") answered by a lower bound at or above it
    ("3500余元", "3500元以上", ">3500元", "≥3600元"): the actual exceeds the ceiling by an amount
    the table does not state (docs/rules.md §4). ``actual_value`` is in the target's unit."""
    if target.direction != "reverse" or not is_lower_bound(actual):
        return False
    return actual_value > target.value or (actual_value == target.value and is_strict_lower_bound(actual))


def quantitative_score(target: Quantity, actual: Quantity, weight: float, rules: RuleSet) -> QuantitativeResult:
    """A measured indicator (docs/rules.md §4): the direction from the target's operator ("=" when
    none), the actual converted to the target's unit (:class:`UnitMismatch` when it cannot be),
    the score never above w, a shortfall when the target is missed, and B ≥ ratio × A flagged.

    **Reading:** a ceiling answered by a lower bound at or above it ("3500余元" against "≦3500元",
    :func:`bound_over_ceiling`) is exceeded by an unknown amount: not met, scored 0 (as a late
    time target, no proportional credit without the figure). A range target ("3-5次",
    docs/rules.md §4) is met from its lower bound up, w × B / lower below it, and flagged as set
    too low from ratio × its upper bound; a range written as the actual counts at its lower end
    (its upper end against a ceiling)."""
    a = target.value
    direction: Direction = target.direction or "equal"
    if actual.high is not None and direction == "reverse":  # a range as the actual: its worse end
        actual = actual._replace(value=actual.high)
    b = convert(actual, target)
    if bound_over_ceiling(target, actual, b):
        return QuantitativeResult(0.0, "reverse", a, b, True, False, True)
    if target.high is not None:  # a range: met inside it (or above), proportional below its lower bound
        over = b >= rules.problems.over_target_ratio * target.high
        return QuantitativeResult(positive_score(a, b, weight), "positive", a, b, b < a, over)
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
        for word in band.words:
            if word in actual:
                return band
    return bands[0]


def band_top_included(band: Band, is_first_band: bool) -> bool:
    """Whether a band's upper limit belongs to it: [low, high] for the first band (达成) and a
    band reaching 100%, [low, high) for the others (docs/rules.md §5)."""
    return is_first_band or band.high >= 1


def band_limits(band: Band, weight: float) -> tuple[float, float]:
    """The band's score range in points (low, high) for an indicator of ``weight`` points."""
    return band.low * weight, band.high * weight


def band_contains(band: Band, weight: float, score: float, is_first_band: bool) -> bool:
    """Whether ``score`` (points) lies inside the band (the edge rule of :func:`band_top_included`)."""
    low, high = band_limits(band, weight)
    if band_top_included(band, is_first_band):
        return low - vocab.SCORE_NOISE <= score <= high + vocab.SCORE_NOISE
    return low - vocab.SCORE_NOISE <= score < high - vocab.SCORE_NOISE


def check_band_score(band: Band, weight: float, given: float | None, is_first_band: bool) -> None:
    """Raise :class:`ScoringError` when a qualitative indicator's score cannot stand: a lower band
    without a score, or a score outside its band."""
    if given is None:
        if not is_first_band:
            raise ScoringError(f"评价为“{band.name}”的定性指标须给出得分（{_band_range(band, weight)}）")
    elif not band_contains(band, weight, given, is_first_band):
        raise ScoringError(f"得分 {given:.12g} 不在“{band.name}”的分数区间（{_band_range(band, weight)}）内")


def qualitative_score(band: Band, weight: float, given: float | None, is_first_band: bool) -> float:
    """定性指标 (docs/rules.md §5): the unit's score, which must lie inside the band; without one,
    full w for 达成, an error (:class:`ScoringError`) for the lower bands."""
    check_band_score(band, weight, given, is_first_band)
    return weight if given is None else given


def _band_range(band: Band, weight: float) -> str:
    return f"{band.low * weight:g}–{band.high * weight:g} 分"


def resolve_date(point: TimePoint, year: int) -> date:
    """The date of a deadline or completion, ``year`` completing one written without a year;
    :class:`ScoringError` for a date that does not exist (2月29日 in a non-leap year)."""
    try:
        return point.resolve(year)
    except ValueError as exc:
        raise ScoringError(f"“{point.text}”不是有效日期") from exc


@dataclass(frozen=True, slots=True)
class IndicatorReading:
    """An indicator as read for scoring: its kind, the parsed target and actual, the resolved
    dates of a time indicator, the band of a qualitative one, and why an actual of kind
    "unreadable" could not be read when the parser said (None for words against a figure)."""

    kind: IndicatorKind
    target: Value
    actual: Value
    deadline: date | None = None
    done: date | None = None
    band: Band | None = None
    problem: str | None = None


def read_indicator(indicator: Indicator, rules: RuleSet, year: int) -> IndicatorReading:
    """Read one indicator for scoring, without scoring it: the target parses and is not blank,
    target and actual are of one kind with convertible units, dates exist, and a qualitative
    score lies in its band. Raises :class:`ScoringError` or
    :class:`~selfeval_lib.errors.QuantityError` (validation reports these before evaluation).
    An actual that cannot be read, or words against a measurable target, is kind "unreadable"
    (scored 0 with a finding, docs/rules.md §4), never read as met."""
    target = parse_value(indicator.target)
    if isinstance(target, Blank):
        raise ScoringError("年度指标值为空，无法评分")
    try:
        actual = read_against(indicator.actual, target, year)  # "9月" against "10月底前" is a date
    except UnitMismatch:
        raise
    except QuantityError as exc:  # a figure that cannot be read scores 0, never full marks
        return IndicatorReading("unreadable", target, Text(indicator.actual), problem=str(exc))
    if isinstance(actual, Blank):
        return IndicatorReading("unmeasured", target, actual)
    if isinstance(target, (Quantity, TimePoint)) and isinstance(actual, Text):
        # words against a measurable target ("两部左右", "达成" for "≥95%"): no figure to score
        return IndicatorReading("unreadable", target, actual)
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        convert(actual, target)  # UnitMismatch when the units cannot be compared
        return IndicatorReading("quantitative", target, actual)
    if isinstance(target, TimePoint) and isinstance(actual, TimePoint):
        return IndicatorReading("time", target, actual, resolve_date(target, year), resolve_date(actual, year))
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
    check_band_score(band, indicator.weight, indicator.score, band == rules.qualitative_bands[0])
    return IndicatorReading("qualitative", target, actual, band=band)


def has_written_operator(value: Value | None) -> bool:
    """A quantity or date written with its operator ("≥95%", "≤2023年12月")."""
    return isinstance(value, (Quantity, TimePoint)) and value.op_written


def score_indicator(indicator: Indicator, rules: RuleSet, year: int) -> IndicatorScore:
    """Score one indicator by the rule set; ``year`` completes dates written without one.

    Raises what :func:`read_indicator` raises when the indicator cannot be scored as written.
    """
    reading = read_indicator(indicator, rules, year)
    w = indicator.weight
    base = dict(
        level1=indicator.level1,
        level2=indicator.level2,
        name=indicator.name,
        target=indicator.target,
        actual=indicator.actual,
        weight=w,
        actual_copies_target=copies_target(indicator.actual, indicator.target),
        actual_has_operator=has_written_operator(reading.actual),
        deviation_reason=indicator.deviation_reason,
    )
    if reading.kind in ("unmeasured", "unreadable"):
        return IndicatorScore(**base, score=0.0, kind=reading.kind, direction=None, band=None,
                              target_value=None, actual_value=None, over_target=False)
    if reading.kind == "quantitative":
        result = quantitative_score(reading.target, reading.actual, w, rules)
        return IndicatorScore(**base, score=result.score, kind="quantitative", direction=result.direction,
                              band=None, target_value=result.target_value, actual_value=result.actual_value,
                              over_target=result.over_target)
    if reading.kind == "time":
        return IndicatorScore(**base, score=time_score(reading.deadline, reading.done, w), kind="time",
                              direction="reverse", band=None, target_value=None,
                              actual_value=None, over_target=False)
    band = reading.band
    score = qualitative_score(band, w, indicator.score, band == rules.qualitative_bands[0])
    return IndicatorScore(**base, score=score, kind="qualitative", direction=None, band=band.name,
                          target_value=None, actual_value=None, over_target=False)


def total_score(execution: float, indicator_scores: list[float]) -> float:
    """总分 = 预算执行率得分 + Σ 指标得分 (docs/rules.md §6), full precision (``math.fsum``, so that
    scores adding up to 90 give 90, not 89.99999999999999)."""
    return math.fsum([execution, *indicator_scores])


__all__ = [
    "IndicatorReading",
    "IndicatorScore",
    "QuantityError",
    "ScoringError",
    "band_contains",
    "band_limits",
    "band_top_included",
    "bound_over_ceiling",
    "check_band_score",
    "classify_band",
    "equal_score",
    "execution_score",
    "positive_score",
    "qualitative_score",
    "read_indicator",
    "resolve_date",
    "reverse_score",
    "score_indicator",
    "time_score",
    "total_score",
]
