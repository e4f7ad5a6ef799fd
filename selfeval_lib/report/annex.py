"""The 附件's 自评表 as the report sets it (HTML/PDF and Word alike): its parts (the form's head,
then the indicators under a header row that repeats on each page) and its column widths in mm,
fitted so no number runs into the next cell. Pure functions of :class:`~.self_table.SelfTable`."""

from __future__ import annotations

from selfeval_lib.report import typography
from selfeval_lib.report.self_table import SelfTable, display


def parts(table: SelfTable) -> list[tuple[int, int]]:
    """The 自评表's rows (first, last) as the 附件 sets them: the form's head, then the indicators
    from their header row (repeated on each page: HTML ``<thead>``, Word's header row); one part
    when a merge runs across the header row."""
    split = table.indicator_header_row
    if any(r < split <= r + rowspan - 1 for (r, _), (_, rowspan, _) in table.spans().items()):
        return [(2, table.last_row)]
    return [(2, split - 1), (split, table.last_row)]


def widths_mm(table: SelfTable, widths: tuple[float, ...], size_pt: float, padding_em: float) -> tuple[float, ...]:
    """The 自评表's column widths in mm across the 版心: the sheet's proportions (``widths``), each
    column of numbers wide enough for its longest one at ``size_pt`` (no "100.00" into the next cell)."""
    minimum = [0.0] * table.ncols
    for (_, col), (cell, _, colspan) in table.spans().items():
        if colspan == 1 and cell.kind != "text":
            minimum[col - 1] = max(minimum[col - 1], typography.unbroken_mm(display(cell), size_pt, padding_em))
    return typography.fit_columns(widths, minimum, typography.text_area_mm()[0])
