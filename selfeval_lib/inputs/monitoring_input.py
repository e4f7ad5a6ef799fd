"""Load a params file for a 绩效运行监控 at a cut-off month: the usual checks
(:func:`~selfeval_lib.inputs.params.load_project`) plus the month's
(:func:`~selfeval_lib.inputs.validation.check_monitoring_input`), every problem located (file,
line, field) and raised together in one :class:`~selfeval_lib.errors.InputError` before anything
is written."""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem, problem_at
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.inputs.validation import check_monitoring_input
from selfeval_lib.inputs.yaml_safe import read_bytes, read_yaml


def monitoring_problems(loaded: LoadedProject, month: int) -> list[Problem]:
    """The problems of a loaded project for a monitoring at the end of ``month`` (none: it can be monitored)."""
    found = check_monitoring_input(loaded.project_year, month)
    if not found:
        return []
    name = shown(loaded.path)
    lines: dict = {}
    if loaded.path.suffix.lower() in (".yaml", ".yml"):
        lines = read_yaml(loaded.path, read_bytes(loaded.path))[1]
    return [problem_at(name, p.loc, p.message, lines) for p in found]


def load_monitored(path: Path | str, month: int, rule_set: str | None = None) -> LoadedProject:
    """:func:`load_project`, then the monitoring checks for ``month``; :class:`InputError` lists them all."""
    loaded = load_project(path, rule_set)
    problems = monitoring_problems(loaded, month)
    if problems:
        raise InputError(problems)
    return loaded
