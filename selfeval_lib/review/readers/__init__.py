"""Readers of published 自评表: a file → :class:`TableRead` (a :class:`PublishedTable` and the
reader's notes), chosen by the file's suffix.

Cells are kept as printed: "20%" weights, "≥95%" targets, "600余人", "——" blanks and amounts in
the unit the header names. Nothing is corrected here; :func:`selfeval_lib.review.recompute.review_table`
does the recomputation. A reader may import ``core``, ``inputs`` (safe YAML, messages) and the
table model; it never reviews.

- :mod:`.yaml_table` — a YAML transcription, one table per file;
- :mod:`.excel` — an Excel workbook, one table per qualifying sheet (sheet grid and header
  recognition in :mod:`.excel_grid`).

A new format is one entry in :data:`READERS` (suffix → reader).
"""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import Reader, TableRead
from selfeval_lib.review.readers.excel import read_workbook
from selfeval_lib.review.readers.yaml_table import read_yaml_table
from selfeval_lib.review.table import PublishedTable

__all__ = ["READERS", "SUFFIXES", "UNSUPPORTED", "Reader", "TableRead", "load_table", "read_tables"]

#: The reader of each supported suffix (lower case, with the dot).
READERS: dict[str, Reader] = {
    ".yaml": read_yaml_table,
    ".yml": read_yaml_table,
    ".xlsx": read_workbook,
    ".xlsm": read_workbook,
}
#: Suffixes known but not read, and what to do instead.
UNSUPPORTED: dict[str, str] = {
    ".xls": "不支持 .xls（Excel 97-2003）格式，请在 Excel 中另存为 .xlsx 后再复核",
}
SUFFIXES = tuple(READERS)


def read_tables(path: Path | str) -> list[TableRead]:
    """Every table in ``path`` with the reader's notes: one for a YAML file, one per qualifying
    sheet of a workbook.

    Raises :class:`~selfeval_lib.errors.InputError` (file, field or sheet/row, message in
    Chinese) for a file that cannot be used or a suffix no reader handles.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is not None:
        return reader(path)
    if suffix in UNSUPPORTED:
        raise InputError([Problem(shown(path), "", UNSUPPORTED[suffix])])
    raise InputError([Problem(shown(path), "", f"不支持的文件类型“{path.suffix or '无扩展名'}”：自评表应为 .xlsx 或 .yaml/.yml")])


def load_table(path: Path | str) -> list[PublishedTable]:
    """As :func:`read_tables`, the tables only."""
    return [read.table for read in read_tables(path)]
