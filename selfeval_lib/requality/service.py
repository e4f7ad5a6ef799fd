"""The 复核 of files: the inputs found in files and folders (:func:`requality_inputs`), each
read (a params file by :func:`inputs.params.load_project`, a published table by
:func:`review.readers.read_tables`, whatever its form), recomputed, its
evidence checked on disk, re-scored by the 口径 (:func:`engine.rescore`); and, when the same
project's previous year is among the inputs, the year-over-year sentences of
:func:`selfeval_lib.requality.yoy.compare_years` added to its 复核意见.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.params import discover, find_rule_set, load_project, load_rule_set, read_yaml
from selfeval_lib.requality.engine import rescore
from selfeval_lib.requality.evidence import check_evidence
from selfeval_lib.requality.kouqing import Kouqing, load_kouqing
from selfeval_lib.requality.model import Requality
from selfeval_lib.requality.overrides import EvidenceRequest, Override, load_overrides
from selfeval_lib.requality.subject import Subject, from_evaluation, from_review
from selfeval_lib.requality.yoy import compare_years
from selfeval_lib.review.readers import SUFFIXES, read_tables
from selfeval_lib.review.service import review_reads


#: Folders an input folder may hold that are not inputs: rule sets, 口径 and shared evidence.
NOT_INPUTS = ("rules", "review-rules", "evidence")


def requality_inputs(paths: Iterable[str | Path], skip: Iterable[Path] = ()) -> list[Path]:
    """Files as given; folders searched for params and tables, outside :data:`NOT_INPUTS` and
    an input's own ``<name>.evidence`` folder; ``skip`` (the overrides file) left out."""
    skipped = {Path(p).absolute() for p in skip}
    found = discover(list(paths), suffixes=tuple(SUFFIXES), skip_folders=NOT_INPUTS)
    return [p for p in found
            if p.absolute() not in skipped and not any(part.endswith(".evidence") for part in p.parts[:-1])]


def is_params(path: Path) -> bool:
    """A YAML file whose ``project`` names an ``id`` or ``items``: a params file (a table's
    header has neither)."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    data, _ = read_yaml(path)
    project = data.get("project")
    return isinstance(project, dict) and ("id" in project or "items" in project)


def subjects_of(path: Path, kouqing: Kouqing, scoring: str | None = None) -> list[Subject]:
    """What ``path`` holds, as the 复核 sees it: one subject for a params file, one per table."""
    if is_params(path):
        loaded = load_project(path, scoring)
        return [from_evaluation(evaluate(loaded.project_year, loaded.rules), shown(path))]
    rules = load_rule_set(find_rule_set(scoring or kouqing.scoring, path))
    return [from_review(review) for review in review_reads(read_tables(path), rules)]


def requality_file(path: Path, kouqing: Kouqing, overrides: Sequence[Override] = (),
                   scoring: str | None = None, requests: Sequence[EvidenceRequest] = ()) -> list[Requality]:
    """Every input in ``path`` re-scored by ``kouqing``; :class:`InputError` for a file that
    cannot be used. ``requests``: the reviewer's record of 补报 requests (see :mod:`.overrides`)."""
    names = (shown(path), path.name)
    # an input's own evidence folder says its evidence was handed over, even if no file matched; the
    # shared evidence/ folder says so only through the files it holds for this input
    folder = (path.parent / f"{path.stem}.evidence").is_dir()
    return [rescore(subject, kouqing, check_evidence(subject.rows, path), tuple(overrides), names,
                    evidence_folder=folder, requests=tuple(requests))
            for subject in subjects_of(path, kouqing, scoring)]


def with_previous_years(results: Sequence[Requality]) -> list[Requality]:
    """Each result with the year-over-year sentences (:func:`compare_years`) when the same unit's
    same project of the previous year is among ``results``."""
    by_key = {(r.unit, r.project, r.year): r for r in results if r.year is not None}
    out = []
    for r in results:
        previous = by_key.get((r.unit, r.project, r.year - 1)) if r.year is not None else None
        out.append(dataclasses.replace(r, yoy=tuple(compare_years(r, previous))) if previous is not None else r)
    return out


def requality_files(paths: Iterable[Path], kouqing: Kouqing, overrides: Sequence[Override] = (),
                    scoring: str | None = None, requests: Sequence[EvidenceRequest] = ()
                    ) -> tuple[list[Requality], list[InputError]]:
    """Every file re-scored; the files that could not be used are returned as their errors."""
    results: list[Requality] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            results.extend(requality_file(path, kouqing, overrides, scoring, requests))
        except InputError as exc:
            errors.append(exc)
    return with_previous_years(results), errors


@dataclass
class Rescored:
    """A 复核 of some paths: the input files found, the 口径 (None when no input was found), the
    results and the files that could not be used (their errors)."""

    files: list[Path]
    kouqing: Kouqing | None = None
    results: list[Requality] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def rescore_paths(paths: Iterable[str | Path], rules: str, overrides: Path | None = None,
                  scoring: str | None = None) -> Rescored:
    """Every input in ``paths`` re-scored by the 口径 ``rules`` (a name, looked for beside the
    first input, or a path) with the reviewer's record ``overrides`` (its 改判 and 补报 notices;
    the file itself is never an input). Nothing is read when no input is found; a 口径 or record
    that cannot be read is an :class:`InputError`."""
    files = requality_inputs(paths, [overrides] if overrides else [])
    if not files:
        return Rescored(files)
    kouqing = load_kouqing(rules, files[0])
    record = load_overrides(overrides) if overrides else None
    results, errors = requality_files(files, kouqing, record.overrides if record else (), scoring,
                                      record.evidence_requests if record else ())
    return Rescored(files, kouqing, results, errors)
