"""Where the package's own data lives: notebooks, rule sets, templates and the bundled samples.

Everything is package data under ``selfeval_lib/data/`` and found with :mod:`importlib.resources`,
so a wheel installed anywhere has it (``params/rules`` and ``params/review-rules`` in
the repository are links into this folder; the repository's ``notebooks/`` is a working copy made
by ``selfeval notebooks``; ``samples/example.yaml`` and ``samples/review_table.yaml`` are links to the repository's samples,
copied into a wheel). Imports nothing from the rest of the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir() -> Path:
    """The package's data folder (a real folder: the package is installed unzipped)."""
    return Path(str(files("selfeval_lib") / "data"))


def notebook(name: str) -> Path:
    """A bundled notebook by file name, e.g. ``selfeval_report.ipynb``."""
    return data_dir() / "notebooks" / name


def rules_dir() -> Path:
    """The bundled rule sets (``national.yaml``, ``sichuan.yaml`` …)."""
    return data_dir() / "rules"


def review_rules_dir() -> Path:
    """The bundled 复核口径 of the 自评质量复核 (``district.yaml``, ``national.yaml`` …)."""
    return data_dir() / "review-rules"


def template_dir(name: str = "") -> Path:
    """The bundled templates (Jinja2 and nbconvert), or one of their folders."""
    return data_dir() / "templates" / name if name else data_dir() / "templates"


def samples_dir() -> Path:
    """The bundled samples: ``example.yaml`` (the seed project; the repository's ``params/2023/``
    holds it with two more) and ``review_table.yaml`` (a published 自评表 for the review)."""
    return data_dir() / "samples"


def example_params() -> Path:
    """The bundled example params file: what a notebook opens when its ``params_path`` is empty."""
    return samples_dir() / "example.yaml"


def bundled_projects() -> list[Path]:
    """The three sample projects of the repository's ``params/2023/`` (links in ``samples/projects/``,
    files in a wheel), which ``selfeval sample --bundled`` writes out."""
    return sorted((samples_dir() / "projects").glob("*.yaml"))


def example_review_table() -> Path:
    """The bundled published 自评表: what the review notebook reads when its ``table_path`` is empty."""
    return samples_dir() / "review_table.yaml"


REPORT_NOTEBOOK = notebook("selfeval_report.ipynb")
OVERVIEW_NOTEBOOK = notebook("portfolio_overview.ipynb")
REVIEW_NOTEBOOK = notebook("review_table.ipynb")
MONITORING_NOTEBOOK = notebook("monitoring_report.ipynb")
REQUALITY_NOTEBOOK = notebook("requality.ipynb")
