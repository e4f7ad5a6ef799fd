"""The summary of a 自评质量复核 across a jurisdiction (``selfeval requality DIR --summary``).

:func:`write_summary` computes the summary (:func:`.summary_data.summarise`: over-scoring units,
all-100 units, deductions by rule, provincial warnings, copied text, the seeded sample) and writes
it as HTML, a workbook, JSON and the 通报 draft (Word), all at once (nothing half-written) and
byte-identical for the same inputs and seed.
"""

from __future__ import annotations

import json
from pathlib import Path

from selfeval_lib.files.atomic import write_files
from selfeval_lib.requality.bulletin import bulletin_document, bulletin_html
from selfeval_lib.requality.kouqing import Kouqing, Warnings
from selfeval_lib.requality.model import Issuance, Requality
from selfeval_lib.requality.summary_data import Summary, summarise, summary_to_dict
from selfeval_lib.requality.summary_html import summary_html
from selfeval_lib.requality.summary_xlsx import summary_workbook


def write_summary(results: list[Requality], out: Path, *, seed: int, sample_share: float | None,
                  issued: Issuance = Issuance(), kouqing: Kouqing | None = None) -> list[Path]:
    """Write ``summary.html``, ``summary.xlsx``, ``summary.json`` and the 通报 (``bulletin.docx``,
    ``bulletin.html``) into ``out``, all or none; returns their paths. ``issued``: the bureau, the date and the 文号
    (blank lines to fill when not given); ``kouqing``: the 口径 whose deadlines the 通报 sets."""
    summary = summarise(results, seed=seed, sample_share=sample_share,
                        warnings=kouqing.warnings if kouqing is not None else Warnings())
    days = kouqing.deadlines.rectify_days if kouqing is not None else 30
    text = json.dumps(summary_to_dict(summary), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return write_files(Path(out), {
        "summary.html": summary_html(summary).encode("utf-8"),
        "summary.xlsx": summary_workbook(summary),
        "summary.json": text.encode("utf-8"),
        "bulletin.docx": bulletin_document(summary, issued, days),
        "bulletin.html": bulletin_html(summary, issued, days).encode("utf-8"),
    })


__all__ = ["Summary", "summarise", "write_summary"]
