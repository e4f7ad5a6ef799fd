"""Read a YAML transcription of a published 自评表 (one table per file), cells kept as printed."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem, problem_at, pydantic_message
from selfeval_lib.inputs.yaml_safe import read_yaml
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.table import PublishedTable

#: The tags pydantic adds to the location of a union (number or text) field.
_UNION_TAGS = {"str", "float", "int", "none", "list[str]"}


def read_yaml_table(path: Path) -> list[TableRead]:
    """The table in ``path``; ``source`` defaults to the file name. Raises :class:`InputError`
    with every problem (file, line, field)."""
    name = shown(path)
    data, lines = read_yaml(path)
    if not data.get("source"):
        data["source"] = name
    try:
        table = PublishedTable.model_validate(data)
    except ValidationError as exc:
        problems: dict[tuple, Problem] = {}
        for err in exc.errors():
            loc = tuple(err["loc"])
            if len(loc) > 1 and loc[-1] in _UNION_TAGS:  # a Cell (number or text) field: one message
                loc = loc[:-1]
                message = "应为数字或文字（如 20、“20%”）"
            else:
                message = pydantic_message(err)
            problems.setdefault(loc, problem_at(name, loc, message, lines))
        raise InputError(list(problems.values())) from None
    return [TableRead(table)]
