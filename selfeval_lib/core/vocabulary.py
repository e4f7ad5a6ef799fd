"""The words and limits every product shares, written once: the self-evaluation, the monitoring,
the review and the 复核 compare scores, name grades and tell a shown difference from noise by
these definitions. Scores are points; amounts are 元 unless a name says 万元. Pure.
"""

from __future__ import annotations

from typing import Literal, get_args

#: Two scores (points) closer than this are the same number: the gap is floating-point noise
#: (9.6 summed from 3.2 three times), not a difference anyone wrote.
SCORE_NOISE = 1e-9
#: Half a unit of the second decimal (points, or 元 for amounts): two figures this close print
#: the same with two decimals, so a gap of at most this is not said.
SHOWN_GAP = 0.005
#: The 一级指标 of a performance-indicator table (财预〔2020〕10号), in the table's order.
Level1 = Literal["产出指标", "效益指标", "满意度指标"]
LEVEL1_NAMES: tuple[Level1, ...] = get_args(Level1)
#: How an indicator is measured and scored: by a number, a deadline or a band of words;
#: "unmeasured" when no actual is written.
MeasuredKind = Literal["quantitative", "time", "qualitative", "unmeasured"]
#: A measured kind, or "unreadable": an actual that cannot be read as its target asks (words
#: against a measurable target, a figure the parser cannot read). Unmeasured and unreadable score 0.
IndicatorKind = Literal[MeasuredKind, "unreadable"]
#: A grade a unit may claim: the names of the bundled rule sets and 口径.
Grade = Literal["优", "良", "中", "差"]
#: The grades best first (a grade further along is lower).
GRADES: tuple[Grade, ...] = get_args(Grade)


def at_full_marks(score: float, weight: float) -> bool:
    """Whether ``score`` reaches ``weight`` (both points), floating-point noise forgiven."""
    return score >= weight - SCORE_NOISE


def below_full_marks(score: float, weight: float) -> bool:
    """Whether ``score`` falls short of ``weight`` (both points): a deduction."""
    return not at_full_marks(score, weight)


def above_weight(score: float, weight: float) -> bool:
    """Whether ``score`` exceeds ``weight`` (both points) by more than floating-point noise."""
    return score > weight + SCORE_NOISE


__all__ = ["GRADES", "LEVEL1_NAMES", "Grade", "IndicatorKind", "Level1", "MeasuredKind", "SCORE_NOISE", "SHOWN_GAP", "above_weight", "at_full_marks", "below_full_marks"]
