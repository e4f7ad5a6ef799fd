"""One unit of a batch: the :class:`Task` (a validated project-year and the run's options) and
its :class:`Outcome`. Both cross process boundaries, so they are plain picklable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_lib.inputs.params import LoadedProject
from selfeval_lib.runner.options import RunOptions, monitoring_folder


@dataclass(frozen=True)
class Task:
    """One project-year to run: its validated project and the run's options (picklable: it
    crosses to a worker process)."""

    key: str
    params: str
    out_root: str
    options: RunOptions
    loaded: LoadedProject
    fingerprint: dict[str, str]

    @property
    def year(self) -> int:
        return self.loaded.project_year.project.year

    @property
    def project_id(self) -> str:
        return self.loaded.project_year.project.id

    @property
    def name(self) -> str:
        return self.loaded.project_year.project.name

    @property
    def unit(self) -> str:
        return self.loaded.project_year.project.unit

    @property
    def out_dir(self) -> Path:
        """The report's folder: ``<out>/<year>/<id>``, or its ``monitoring-MM`` folder."""
        folder = Path(self.out_root) / str(self.year) / self.project_id
        return folder if self.options.month is None else folder / monitoring_folder(self.options.month)


@dataclass
class Outcome:
    """What became of one task."""

    task: Task
    status: str  # "ok" | "failed"
    seconds: float
    error: str = ""
    row: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
