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
