"""The shared vocabulary: one full-marks comparison, one grade rule, one set of grade names, used
alike by the self-evaluation's rule sets and the 复核's 口径."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.model import Claims
from selfeval_lib.core.rules import GradeBand, check_grades, grade_of
from selfeval_lib.requality.kouqing import load_kouqing


def test_full_marks_forgives_floating_point_noise_only() -> None:
    summed = 0.1 + 0.2  # 0.30000000000000004
    assert vocab.at_full_marks(0.3, summed) and not vocab.below_full_marks(0.3, summed)
    assert vocab.below_full_marks(9.99, 10) and not vocab.at_full_marks(9.99, 10)
    assert vocab.above_weight(10.01, 10) and not vocab.above_weight(summed, 0.3)


def test_grade_of_reaches_a_limit_within_noise() -> None:
    bands = (GradeBand(grade="A", min_score=85), GradeBand(grade="B", min_score=70.5), GradeBand(grade="C", min_score=0))
    assert [grade_of(bands, s) for s in (100, 85 - 1e-12, 84.99, 70.5, 70.49, 0)] == ["A", "A", "B", "B", "C", "C"]


def test_grades_must_descend_to_zero() -> None:
    with pytest.raises(ValueError, match="从高到低"):
        check_grades((GradeBand(grade="B", min_score=60), GradeBand(grade="A", min_score=90)))
    with pytest.raises(ValueError, match="最后一档为 0"):
        check_grades((GradeBand(grade="A", min_score=90), GradeBand(grade="B", min_score=60)))


def test_kouqing_grades_are_the_rule_sets_bands() -> None:
    kouqing = load_kouqing("district")
    assert all(type(band) is GradeBand for band in kouqing.grades)
    for score in (95, 89.995, 80, 79.99, 60, 12):
        assert kouqing.grade_of(score) == grade_of(kouqing.grades, score)


def test_claimed_grade_is_one_of_the_grade_names() -> None:
    assert vocab.GRADES == ("优", "良", "中", "差")
    assert Claims(grade="良").grade == "良"
    with pytest.raises(ValidationError):
        Claims(grade="良好")


def test_level1_names_and_kinds_are_defined_once() -> None:
    from typing import get_args

    from selfeval_lib.core import monitoring_model, rules
    from selfeval_lib.review.readers import layout

    assert rules.LEVEL1_NAMES is vocab.LEVEL1_NAMES == ("产出指标", "效益指标", "满意度指标")
    assert layout._level("产出（50分）", layout._LEVEL1_SHORT) == "产出指标"
    assert layout._level("满意度", layout._LEVEL1_SHORT) == "满意度指标"
    assert set(get_args(monitoring_model.IndicatorKind)) == set(get_args(vocab.IndicatorKind)) - {"unreadable"}
