"""``<out>/.selfeval-state.json``: per params file, the fingerprint of its last good run, the
formats written and the outcome (a failure keeps no fingerprint, so it runs again)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval_lib.files.atomic import write_file

if TYPE_CHECKING:  # pragma: no cover
    from selfeval_lib.batch.task import Outcome

STATE_FILE = ".selfeval-state.json"
STATE_VERSION = 1


def load_state(out_root: Path) -> dict[str, dict[str, Any]]:
    """The recorded outcome of every params file run into ``out_root`` (empty when none)."""
    path = Path(out_root) / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("projects", {}) if data.get("version") == STATE_VERSION else {}


def save_state(out_root: Path, projects: dict[str, dict[str, Any]]) -> None:
    data = {"version": STATE_VERSION, "projects": projects}
    write_file(Path(out_root) / STATE_FILE,
               json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))


def record(state: dict[str, dict[str, Any]], outcome: Outcome) -> None:
    """Put an outcome into the state (a failure keeps no fingerprint, so it runs again)."""
    task = outcome.task
    state[task.key] = {
        "status": outcome.status, "error": outcome.error, "year": task.year, "project_id": task.project_id,
        "name": task.name, "unit": task.unit, "formats": list(task.options.formats),
        "out_dir": f"{task.year}/{task.project_id}", "row": outcome.row,
        "fingerprint": task.fingerprint if outcome.status == "ok" else {},
    }
