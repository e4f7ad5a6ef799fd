"""``selfeval requality``: the 自评质量复核 of params files and published tables, end to end.

The inputs are found (:func:`~selfeval_lib.requality.service.requality_inputs`), the 口径 and the
reviewer's record read, every input re-scored (a file that cannot be used is recorded, the others
go on), and, with an output folder, the 复核意见 (Word, HTML), the 底稿 and the JSON written
together; with ``summary``, the summary across units and the 通报 draft beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfeval_lib.files.atomic import write_files
from selfeval_lib.render.requality_files import requality_documents, summary_documents
from selfeval_lib.requality.kouqing import Kouqing, Warnings
from selfeval_lib.requality.model import Issuance, Requality
from selfeval_lib.requality.service import Rescored, rescore_paths
from selfeval_lib.requality.summary_data import summarise


@dataclass(frozen=True)
class SummaryRequest:
    """The summary across units: the sample's seed and share (None: the summary's default)."""

    seed: int = 0
    sample_share: float | None = None


@dataclass
class RequalityRun(Rescored):
    """What ``selfeval requality`` did: the 复核 (:class:`~selfeval_lib.requality.service.Rescored`)
    and the files written (none without an output folder)."""

    written: list[Path] = field(default_factory=list)


def write_summary(results: list[Requality], out: Path, *, seed: int, sample_share: float | None,
                  issued: Issuance = Issuance(), kouqing: Kouqing | None = None) -> list[Path]:
    """The summary of ``results`` across units and the 通报 draft written into ``out``, all or none
    (:func:`~selfeval_lib.render.requality_files.summary_documents`); their paths. ``kouqing``: the 口径
    whose warnings the summary applies and whose deadline the 通报 sets."""
    summary = summarise(results, seed=seed, sample_share=sample_share,
                        warnings=kouqing.warnings if kouqing is not None else Warnings())
    days = kouqing.deadlines.rectify_days if kouqing is not None else 30
    return write_files(Path(out), summary_documents(summary, issued, days))


def requality_run(paths: list[str | Path], rules: str, *, overrides: Path | None = None, scoring: str | None = None,
                  issued: Issuance = Issuance(), out: Path | None = None,
                  summary: SummaryRequest | None = None) -> RequalityRun:
    """Re-score every input in ``paths`` by the 口径 ``rules`` (a bundled name, a name looked for
    beside the first input, or a path); ``overrides``: the reviewer's record (its file is never an
    input). With ``out``, when anything was re-scored, write the 复核's files into it, and with
    ``summary`` the summary and the 通报 too. Nothing is read when no input is found (``files``
    empty); a 口径 or record that cannot be read is an :class:`InputError`."""
    done = rescore_paths(paths, rules, overrides, scoring)
    run = RequalityRun(done.files, done.kouqing, done.results, done.errors)
    kouqing, results = run.kouqing, run.results
    if out is not None and kouqing is not None and results:
        days = kouqing.deadlines
        run.written = write_files(Path(out), requality_documents(results, kouqing.name, kouqing.title, issued,
                                                                 days.supplement_days, days.rectify_days))
        if summary is not None:
            run.written += write_summary(results, Path(out), seed=summary.seed, sample_share=summary.sample_share,
                                         issued=issued, kouqing=kouqing)
    return run
