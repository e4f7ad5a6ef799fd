"""Runs of equal values shown as one cell, as printed performance tables show 一级指标 and 二级指标
(HTML ``rowspan``, Word and Excel merged cells, written in ``render``). Pure; no pandas, so the monitoring report's
tables need not import it."""

from __future__ import annotations

from collections.abc import Iterable

#: Columns whose runs of equal values are merged (一级指标, and 二级指标 inside one 一级指标).
MERGED_COLUMNS = ("一级指标", "二级指标")


def merged_at(columns: Iterable[str], merge: tuple[str, ...] = MERGED_COLUMNS) -> list[int]:
    """The positions, in a table's header ``columns``, of the columns whose runs are merged."""
    return [i for i, name in enumerate(columns) if name in merge]


def row_spans(values: list[list[str]], merge: list[int]) -> list[list[int]]:
    """For each cell, its rowspan (≥ 1) or 0 when merged into the cell above. A run is merged in
    column ``c`` when it repeats a non-empty value and every merged column before ``c`` too."""
    spans = [[1] * len(row) for row in values]
    for c in merge:
        start = 0
        for i in range(1, len(values) + 1):
            same = (i < len(values) and values[i][c] == values[start][c] and values[start][c] != ""
                    and all(values[i][p] == values[start][p] for p in merge if p < c))
            if same:
                continue
            if i - start > 1:
                spans[start][c] = i - start
                for j in range(start + 1, i):
                    spans[j][c] = 0
            start = i
    return spans
