"""Runs of equal values as one cell (report/spans.py)."""

from __future__ import annotations

from selfeval_lib.report.spans import row_spans


def test_a_run_is_one_cell_and_the_second_column_merges_only_inside_the_first():
    values = [["产出指标", "数量指标", "a"],
              ["产出指标", "数量指标", "b"],
              ["产出指标", "质量指标", "c"],
              ["效益指标", "质量指标", "d"],   # same 二级 as above, another 一级: not merged with it
              ["效益指标", "质量指标", "e"]]
    assert row_spans(values, [0, 1]) == [[3, 2, 1], [0, 0, 1], [0, 1, 1], [2, 2, 1], [0, 0, 1]]


def test_blank_cells_and_unmerged_columns_stay_single():
    """A blank cell is never merged (a blank 一级 still lets the 二级 under it merge); a column
    not named stays one cell per row."""
    values = [["", "x", "same"], ["", "x", "same"], ["产出指标", "", "same"], ["产出指标", "", "same"]]
    assert row_spans(values, [0, 1]) == [[1, 2, 1], [1, 0, 1], [2, 1, 1], [0, 1, 1]]
    assert row_spans([], [0, 1]) == []
