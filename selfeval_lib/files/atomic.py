"""Writing files so that a reader never sees half of one: a temporary name in the same folder,
flushed to disk, then moved into place (``os.replace``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_files(folder: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write every file of ``contents`` (name → bytes) into ``folder``: all are staged under
    temporary names first and moved into place only when all are written, so a failure leaves
    the previous files as they were. Temporary files of a writer killed earlier are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    mode = _file_mode()
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in contents.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((Path(tmp), folder / name))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [final for _, final in staged]


def write_file(path: Path, data: bytes) -> Path:
    """Write one file atomically (see :func:`write_files`)."""
    (written,) = write_files(Path(path).parent, {Path(path).name: data})
    return written
