"""How a run is made: the formats (their file names come from
:data:`selfeval_lib.render.registry.RENDERERS`) and :class:`RunOptions`, the
one options object of a run with every default in one place (``selfeval run``, ``selfeval
batch`` and :func:`~selfeval_lib.runner.run.run_report` all take it).

Kept free of heavy imports so that planning a batch (which mostly skips) starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfeval_lib.render.registry import FILE_NAMES, FORMATS, METRICS_FILE, NOTEBOOK_FORMATS
from selfeval_lib.resources import REPORT_NOTEBOOK

__all__ = ["DEFAULT_FORMATS", "DEFAULT_KERNEL", "DEFAULT_TIMEOUT", "FILE_NAMES", "FORMATS", "NOTEBOOK_FORMATS",
           "RunOptions", "expected_files", "parse_formats"]

DEFAULT_FORMATS = ("ipynb", "html", "pdf")
#: Seconds a notebook cell may run before the run fails (and its kernel is stopped).
DEFAULT_TIMEOUT = 600
DEFAULT_KERNEL = "python3"


def parse_formats(text: str) -> tuple[str, ...]:
    """"ipynb,html,pdf" → a tuple in canonical order; ValueError names an unknown format."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
    return tuple(f for f in FORMATS if f in wanted)


def expected_files(formats: tuple[str, ...]) -> list[str]:
    """The files a run with these formats writes into the project's folder."""
    return [FILE_NAMES[f] for f in formats] + [METRICS_FILE]


@dataclass(frozen=True)
class RunOptions:
    """How to produce a report: which files, under which rule set, from which notebook.

    ``rule_set`` (a rule set's name) replaces the one each params file names; ``timeout`` is the
    limit of one notebook cell in seconds (None: no limit); ``kernel_name`` the Jupyter kernel
    of a run that starts its own. Plain data: it crosses to batch worker processes.
    """

    formats: tuple[str, ...] = DEFAULT_FORMATS
    rule_set: str | None = None
    notebook: Path = field(default=REPORT_NOTEBOOK)
    timeout: int | None = DEFAULT_TIMEOUT
    kernel_name: str = DEFAULT_KERNEL

    def __post_init__(self) -> None:
        unknown = sorted(set(self.formats) - set(FORMATS))
        if unknown:
            raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
        object.__setattr__(self, "formats", tuple(f for f in FORMATS if f in self.formats))
        object.__setattr__(self, "notebook", Path(self.notebook))

    @property
    def needs_notebook(self) -> bool:
        """Whether these formats need the notebook executed."""
        return any(f in NOTEBOOK_FORMATS for f in self.formats)
