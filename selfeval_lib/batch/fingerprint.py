"""What identifies a report's inputs: file hashes and the library's own fingerprint."""

from __future__ import annotations

import hashlib
from pathlib import Path

from selfeval_lib import __version__

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: File types of the library that change what a report contains.
LIBRARY_SUFFIXES = (".py", ".j2", ".css", ".json", ".yaml")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def library_fingerprint() -> str:
    """Hash of the library's code and templates (with its version): a changed library re-runs
    all (the report notebook has its own hash in the fingerprint)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in LIBRARY_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
