"""The summary page's charts draw what the summary counts: one point per project (orange where
the grade fell), one bar per band of 自评 − 复核, the grades before and after; the same PNG bytes
each time."""

from __future__ import annotations

import pytest
from requality_units import fake_results

from selfeval_lib.core.vocabulary import GRADES
from selfeval_lib.requality.summary_data import summarise
from selfeval_lib.render.requality_charts import gaps_chart, grades_chart, scores_chart, summary_charts


@pytest.fixture(scope="module")
def summary():
    results, _ = fake_results()
    return summarise(results[:20], seed=1)


def test_one_point_per_project_and_the_fallen_grades_apart(summary) -> None:
    ax = scores_chart(summary).axes[0]
    offsets = [c.get_offsets() for c in ax.collections]
    assert sum(len(o) for o in offsets) == len(summary.projects)
    fallen = sum(GRADES.index(p.requality_grade) > GRADES.index(p.self_grade) for p in summary.projects)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert ("复核等级低于自评等级" in labels) == bool(fallen)


def test_the_bars_are_the_summary_counts(summary) -> None:
    bars = [p.get_height() for p in gaps_chart(summary).axes[0].patches]
    assert bars == [n for _, n in summary.gap_counts()]
    heights = [p.get_height() for p in grades_chart(summary).axes[0].patches]
    own, after = dict(summary.grade_counts("self")), dict(summary.grade_counts())
    assert heights == [own.get(g, 0) for g in GRADES] + [after.get(g, 0) for g in GRADES]


def test_the_same_bytes_each_time_and_none_without_results(summary) -> None:
    first = summary_charts(summary)
    assert [c for c, _ in first] == ["自评总分与复核总分", "自评高出复核的分值分布", "自评等级与复核等级"]
    assert first == summary_charts(summary)
    assert summary_charts(summarise([], seed=1)) == []
