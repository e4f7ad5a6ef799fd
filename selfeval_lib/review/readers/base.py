"""What every reader returns: a table and the readings the reader applied to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_lib.review.table import PublishedTable


@dataclass
class TableRead:
    """One table read from a file, and the readings the reader applied to it (Chinese)."""

    table: PublishedTable
    notes: list[str] = field(default_factory=list)


#: A reader: a file → every table in it; raises :class:`~selfeval_lib.errors.InputError`.
Reader = Callable[[Path], list[TableRead]]


def _rows_of(read: TableRead) -> set[tuple[str, str]]:
    """Each named row as (name, actual): the target is printed split in some layouts (≥ | 95 | %)."""
    return {(i.name.strip(), i.actual.strip()) for i in read.table.indicators if i.name.strip()}


def without_copies(reads: list[TableRead]) -> list[TableRead]:
    """``reads`` without a table of indicator rows alone (no project, no funds) whose every row is a
    row of a whole 自评表 in the same file: a report's own table of its indicators beside its 附件
    is the same table, reviewed once (a note on the 自评表 says so)."""
    whole = [r for r in reads if r.table.funds is not None or r.table.project.name]
    kept = []
    for read in reads:
        rows = _rows_of(read)
        twin = next((w for w in whole if w is not read and rows and rows <= _rows_of(w)), None)
        if any(read is w for w in whole) or twin is None:
            kept.append(read)
        else:
            twin.notes.append(f"另有一张只有指标行的表格（{len(rows)}项指标），其各行与本表相同（如报告正文中的指标表），不另行复核。")
    return kept
