"""One unit of a batch: the :class:`Task` (a validated project-year, the product to make of it and
the run's options) and its :class:`Outcome`. Both cross process boundaries, so they are plain
picklable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_lib.inputs.params import LoadedProject
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.product import Product


@dataclass(frozen=True)
class Task:
    """One project-year to run: its validated project, the product (with its run parameters) and
    the run's options (picklable: it crosses to a worker process)."""

    key: str
    params: str
    out_root: str
    product: Product
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
    def folder(self) -> str:
        """The report's folder under the output root: ``<year>/<id>``, or the product's inside it."""
        return self.product.report_folder(self.year, self.project_id)

    @property
    def out_dir(self) -> Path:
        return Path(self.out_root) / self.folder


@dataclass
class Outcome:
    """What became of one task."""

    task: Task
    status: str  # "ok" | "failed"
    seconds: float
    error: str = ""
    row: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
