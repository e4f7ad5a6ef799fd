"""Read a YAML transcription of a published 自评表 (one table per file), cells kept as printed."""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.yaml_safe import read_yaml, validate_model
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.table import PublishedTable


def read_yaml_table(path: Path) -> list[TableRead]:
    """The table in ``path``; ``source`` defaults to the file name. Raises :class:`InputError`
    with every problem (file, line, field; a cell's number-or-text once, at the cell)."""
    name = shown(path)
    data, lines = read_yaml(path)
    if not data.get("source"):
        data["source"] = name
    return [TableRead(validate_model(data, PublishedTable, name, lines))]
