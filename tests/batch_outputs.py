"""What the end-to-end batch tests read back from a batch: its processes (Linux ``/proc``), the
year's index as CSV rows and the temporary files left in an output tree."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def alive(pid: int) -> bool:
    """Alive and not a zombie (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def index_rows(out: Path, year: int) -> dict[str, dict[str, str]]:
    """The rows of ``OUT/<year>/portfolio.csv`` by 项目编号."""
    text = (out / str(year) / "portfolio.csv").read_bytes().decode("utf-8-sig")
    return {row["项目编号"]: row for row in csv.DictReader(io.StringIO(text))}


def temporaries(root: Path) -> list[Path]:
    """Temporary files (``.tmp``, hand-off pickles) left under ``root``."""
    return sorted(p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".pickle"))
