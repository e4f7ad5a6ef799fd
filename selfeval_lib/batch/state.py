"""``<out>/.selfeval-state.json``: per params file and product
(:meth:`~selfeval_lib.runner.product.Product.state_key`), the fingerprint of its last good run, the
formats written and the outcome (a failure keeps no fingerprint, so it runs again); per report
folder, the params file (path and hash) whose report it holds (recorded with each successful
outcome, and by ``selfeval run``: see :func:`~selfeval_lib.runner.run.record_report_folder`).

Several processes may use one output tree at once (two batches, a batch and ``selfeval run``):
every change is made under the state's file lock, on the state as it is on disk, so the changes
of each are merged, never overwritten (:func:`~selfeval_lib.files.atomic.update_json`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval_lib.files.atomic import locked, read_json, update_json
from selfeval_lib.runner.run import FOLDERS_KEY, STATE_FILE, set_report_folder

if TYPE_CHECKING:  # pragma: no cover
    from selfeval_lib.batch.task import Outcome

__all__ = ["STATE_FILE", "STATE_VERSION", "entry_of", "load_folders", "load_state", "record", "record_outcome",
           "save_state", "state_lock"]

#: 2: every entry names its product and its params file (and the product's run parameters).
STATE_VERSION = 2


def _projects(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    projects = data.get("projects") if data.get("version") == STATE_VERSION else None
    return projects if isinstance(projects, dict) else {}


def load_state(out_root: Path) -> dict[str, dict[str, Any]]:
    """The recorded outcome of every params file run into ``out_root`` (empty when none)."""
    return _projects(read_json(Path(out_root) / STATE_FILE))


def load_folders(out_root: Path) -> dict[str, dict[str, str]]:
    """Per report folder (``"<year>/<id>"``), the params file whose report it holds:
    ``{"params": absolute path, "params_sha256": hash}``."""
    folders = read_json(Path(out_root) / STATE_FILE).get(FOLDERS_KEY)
    return folders if isinstance(folders, dict) else {}


def state_lock(out_root: Path):
    """The lock of ``out_root``'s state (held while the index is written from it)."""
    return locked(Path(out_root) / STATE_FILE)


def save_state(out_root: Path, projects: dict[str, dict[str, Any]],
               outcomes: tuple[Outcome, ...] = ()) -> dict[str, dict[str, Any]]:
    """Merge these entries into the state on disk (under its lock), and record the report folder
    of each successful outcome; the merged projects."""
    merged: dict[str, dict[str, Any]] = {}

    def change(data: dict[str, Any]) -> None:
        current = _projects(data)
        current.update(projects)
        data["version"], data["projects"] = STATE_VERSION, current
        for outcome in outcomes:
            if outcome.status == "ok":
                set_report_folder(data, outcome.task.folder, outcome.task.loaded)
        merged.update(current)

    update_json(Path(out_root) / STATE_FILE, change)
    return merged


def entry_of(outcome: Outcome) -> dict[str, Any]:
    """The state entry of an outcome (a failure keeps no fingerprint, so it runs again)."""
    task = outcome.task
    return {
        "status": outcome.status, "error": outcome.error, "year": task.year, "project_id": task.project_id,
        "name": task.name, "unit": task.unit, "formats": list(task.options.formats), "out_dir": task.folder,
        "row": outcome.row, "fingerprint": task.fingerprint if outcome.status == "ok" else {},
        "product": task.product.name, "params": task.params, **task.product.parameters,
    }


def record(state: dict[str, dict[str, Any]], outcome: Outcome) -> None:
    """Put an outcome into the in-memory ``state``."""
    state[outcome.task.key] = entry_of(outcome)


def record_outcome(out_root: Path, outcome: Outcome) -> dict[str, dict[str, Any]]:
    """Record one outcome into the state on disk (merged, under the lock), with its report
    folder when it succeeded; the merged projects."""
    return save_state(out_root, {outcome.task.key: entry_of(outcome)}, (outcome,))
