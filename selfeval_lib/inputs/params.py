"""Load one params file into a validated project-year with its rule set: the one place where a
project-year is checked (types by pydantic, the rest by :mod:`selfeval_lib.inputs.validation`).

Every problem becomes one :class:`~selfeval_lib.inputs.messages.Problem` naming the file, the
line where known, the field path and what is wrong, in Chinese, raised together in one
:class:`~selfeval_lib.errors.InputError`. The YAML reader, the messages and the rule-set lookup
live in :mod:`~selfeval_lib.inputs.yaml_safe`, :mod:`~selfeval_lib.inputs.messages` and
:mod:`~selfeval_lib.inputs.rulesets`; their public names are re-exported here.
"""

from __future__ import annotations

import copy
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem, model_problems, problem_at
from selfeval_lib.inputs.rulesets import (
    DEFAULT_RULES_DIR,
    RULES_ENV,
    find_rule_set,
    load_rule_set,
    parse_rule_set,
    rules_search_path,
)
from selfeval_lib.inputs.validation import check_project_year
from selfeval_lib.inputs.yaml_safe import MAX_FILE_BYTES, read_bytes, read_yaml

__all__ = [
    "DEFAULT_RULES_DIR",
    "MAX_FILE_BYTES",
    "RULES_ENV",
    "InputError",
    "LoadedProject",
    "Problem",
    "discover",
    "find_rule_set",
    "load_project",
    "load_rule_set",
    "read_yaml",
    "rules_search_path",
]


@dataclass(frozen=True, slots=True)
class LoadedProject:
    """A validated project-year with its rule set and the hashes that identify both."""

    path: Path
    project_year: ProjectYear
    rules: RuleSet
    params_sha256: str
    rules_sha256: str
    rules_path: Path


def load_project(path: Path | str, rule_set: str | None = None) -> LoadedProject:
    """Read, type-check and cross-check one params file; :class:`InputError` lists every problem.

    ``rule_set`` names a rule set to use instead of the one the file names (``project.rule_set``);
    either is looked for beside the file first (:func:`find_rule_set`). The returned path and hash
    are those of the rule set actually used. Rule sets read here are cached by path and content.
    """
    path = Path(path)
    name = shown(path)
    raw = read_bytes(path)
    data, lines = read_yaml(path, raw)
    problems: list[Problem] = []
    try:
        project_year = ProjectYear.model_validate(data)
    except ValidationError as exc:
        problems = model_problems(exc.errors(), ProjectYear, name, lines)
        known = _without_unknown_keys(data, exc.errors())
        if known is None:  # every type problem, and the rule set's if it is not found either
            raise InputError(problems + _rule_set_problems(name, path, rule_set, data, lines)) from None
        project_year = known  # only misspelt keys: the cross-checks of the rest are reported too
    try:
        rules_path = find_rule_set(rule_set or project_year.project.rule_set, path)
    except InputError as exc:
        loc = () if rule_set else ("project", "rule_set")
        raise InputError(problems + [problem_at(name, loc, p.message, lines) for p in exc.problems]) from None
    rules_raw = read_bytes(rules_path)
    rules = parse_rule_set(rules_path, rules_raw)
    problems += [problem_at(name, p.loc, p.message, lines) for p in check_project_year(project_year, rules)]
    if problems:
        raise InputError(problems)
    return LoadedProject(
        path=path,
        project_year=project_year,
        rules=rules,
        params_sha256=hashlib.sha256(raw).hexdigest(),
        rules_sha256=hashlib.sha256(rules_raw).hexdigest(),
        rules_path=rules_path,
    )


def _without_unknown_keys(data: object, errors: list) -> ProjectYear | None:
    """The project-year ``data`` holds once its unknown keys are set aside, when those are its only
    type problems (so its other problems can still be found); ``None`` otherwise."""
    if any(e["type"] != "extra_forbidden" for e in errors):
        return None
    data = copy.deepcopy(data)
    for e in errors:
        *parents, key = e["loc"]
        holder = data
        for part in parents:
            holder = holder[part]
        holder.pop(key, None)
    try:
        return ProjectYear.model_validate(data)
    except ValidationError:
        return None


def _rule_set_problems(name: str, path: Path, rule_set: str | None, data: object, lines: dict) -> list[Problem]:
    """The problem of a rule set that cannot be found, for a file whose types are wrong too (so
    that one run names both); ``[]`` when it is found or the file names none that could be."""
    project = data.get("project") if isinstance(data, dict) else None
    wanted = rule_set or (project.get("rule_set") if isinstance(project, dict) else None)
    if not isinstance(wanted, str) or not wanted:
        return []
    try:
        find_rule_set(wanted, path)
    except InputError as exc:
        loc = () if rule_set else ("project", "rule_set")
        return [problem_at(name, loc, p.message, lines) for p in exc.problems]
    return []


def discover(paths: list[str | Path], suffixes: tuple[str, ...] = (".yaml", ".yml"),
             skip_folders: tuple[str, ...] = ("rules",)) -> list[Path]:
    """Input files named by ``paths``: files as given, folders searched for files ending in one of
    ``suffixes`` (any case; params files by default) outside folders named in ``skip_folders``
    (rule sets by default), sorted and without repeats.

    Whatever is named or found is listed, so that its loader reports what is wrong with it (a
    missing file, a symlink loop, a FIFO …). Folders are walked without following symbolic links
    to folders (a link back up the tree cannot loop); a symlinked *file* found in a folder is
    listed like any other. Names whose bytes are not UTF-8 are kept as Python reads them
    (``surrogateescape``): they load, and messages show them via :func:`~selfeval_lib.inputs.files.shown`.
    """
    found: list[Path] = []
    for p in map(Path, paths):
        if _is_folder(p):
            found.extend(sorted(_walk(p, suffixes, skip_folders)))
        else:
            found.append(p)
    return list(dict.fromkeys(found))


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; False when it cannot be told (a name too long …): the
    loader then names the reason."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _walk(top: Path, suffixes: tuple[str, ...], skip_folders: tuple[str, ...]) -> list[Path]:
    """The files under ``top`` ending in ``suffixes``, outside ``skip_folders``; unreadable
    folders are passed over, links to folders never entered."""
    out: list[Path] = []
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = [d for d in dirs if d not in skip_folders]
        out.extend(Path(folder, f) for f in files if Path(f).suffix.lower() in suffixes)
    return out
