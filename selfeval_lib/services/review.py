"""``selfeval review``: published 自评表 found, read one by one (a file that cannot be read is
recorded with its reason and the others go on), recomputed under a rule set, and written as
review.html, review.xlsx and review.json together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_lib.core.rules import RuleSet
from selfeval_lib.errors import InputError
from selfeval_lib.files.atomic import write_files
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.inputs.params import discover, find_rule_set, load_rule_set
from selfeval_lib.render.metrics import json_document
from selfeval_lib.review.readers import SUFFIXES, UNSUPPORTED, TableRead, read_tables
from selfeval_lib.review.serialize import review_to_dict
from selfeval_lib.review.service import review_reads
from selfeval_lib.review.table import Review


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read, with its problems (file, field, message)."""

    file: str
    problems: tuple[Problem, ...]

    @property
    def reason(self) -> str:
        """One line: the problems' places and messages."""
        return "；".join(f"{p.field}：{p.message}" if p.field else p.message for p in self.problems)


@dataclass
class ReviewRun:
    """What ``selfeval review`` did: the files found, the rule set, a review per table read, the
    files that could not be read and the files written (none without ``out``)."""

    files: list[Path]
    rules: RuleSet | None = None
    reviews: list[Review] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """review.json's content: the rule set's name, every table, every unreadable file."""
        return {"rule_set": self.rules.name if self.rules else None,
                "tables": [review_to_dict(r) for r in self.reviews],
                "unreadable": [{"file": u.file, "reason": u.reason} for u in self.unreadable]}


def review_inputs(paths: list[str | Path]) -> list[Path]:
    """Tables named by ``paths``: files as given, folders searched (without following folder
    links) for every suffix read and those known but refused (.doc …: listed as unreadable, with
    what to do)."""
    return discover(list(paths), suffixes=SUFFIXES + tuple(UNSUPPORTED), skip_folders=())


def read_each(files: list[Path]) -> tuple[list[TableRead], list[Unreadable]]:
    """Every table of every file; a file that cannot be read (or whose reader's library fails
    on it) becomes an :class:`Unreadable` and the next file is read."""
    reads: list[TableRead] = []
    unreadable: list[Unreadable] = []
    for path in files:
        try:
            reads.extend(read_tables(path))
        except InputError as exc:
            unreadable.append(Unreadable(shown(path), tuple(exc.problems)))
        except Exception as exc:  # noqa: BLE001 - a reader's library failing on one file must not stop the others
            problem = Problem(shown(path), "", f"读取该文件时出错（{type(exc).__name__}: {str(exc)[:120]}）")
            unreadable.append(Unreadable(problem.file, (problem,)))
    return reads, unreadable


def review_files(paths: list[str | Path], rule_set: str, out: Path | None = None) -> ReviewRun:
    """Review every table in ``paths`` under ``rule_set`` (a name, looked for beside the first
    file, then bundled, or a path: :func:`~selfeval_lib.inputs.rulesets.find_named`); with ``out``, write review.html, review.xlsx and review.json into it when
    a table was reviewed. Nothing is read when no table is found (``files`` empty); a rule set that
    cannot be found or read is an :class:`InputError`."""
    from selfeval_lib.render.review_html import review_html
    from selfeval_lib.render.review_xlsx import review_xlsx

    files = review_inputs(paths)
    if not files:
        return ReviewRun(files)
    rules = load_rule_set(find_rule_set(rule_set, files[0], option="--rules"))
    reads, unreadable = read_each(files)
    run = ReviewRun(files, rules, review_reads(reads, rules), unreadable)
    if out is not None and run.reviews:
        run.written = write_files(Path(out), {
            "review.html": review_html(run.reviews).encode("utf-8"),
            "review.xlsx": review_xlsx(run.reviews),
            "review.json": json_document(run.data()),
        })
    return run
