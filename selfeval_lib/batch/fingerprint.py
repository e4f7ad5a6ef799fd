"""What identifies a report's inputs: file hashes, the notebook's cells and the library's own
fingerprint."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from selfeval_lib._version import __version__

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: File types of the library that change what a report contains.
LIBRARY_SUFFIXES = (".py", ".j2", ".css", ".json", ".yaml")


def notebook_fingerprint(path: Path) -> str:
    """SHA-256 of what a notebook makes a report from: each cell's type, tags and source, in order.

    Outputs, execution counts, cell ids, kernel and widget metadata are left out, so a notebook
    opened, run and saved in JupyterLab (which adds all of those) keeps its fingerprint and the
    batch still considers its reports up to date; editing a cell, or its tags (``parameters``,
    ``remove-from-report``), changes it. A file that is not a notebook falls back to its bytes.
    """
    raw = Path(path).read_bytes()
    try:
        cells = json.loads(raw)["cells"]
        kept = [[cell["cell_type"], sorted((cell.get("metadata") or {}).get("tags") or []),
                 "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]]
                for cell in cells]
    except (ValueError, KeyError, TypeError):
        return hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(json.dumps(kept, ensure_ascii=False).encode("utf-8")).hexdigest()


def library_fingerprint() -> str:
    """Hash of the library's code and templates (with its version): a changed library re-runs
    all (the report notebook has its own hash in the fingerprint)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in LIBRARY_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
