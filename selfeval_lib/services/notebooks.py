"""``selfeval notebooks DIR``: copies of the bundled notebooks in a folder of the user's choice.
A copy that already exists is kept when only its outputs differ (the user ran it) or when its
cells were edited, unless ``force``."""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.batch.fingerprint import notebook_fingerprint
from selfeval_lib.errors import OutputError
from selfeval_lib.files.atomic import ensure_folder, write_file
from selfeval_lib.resources import data_dir

#: What happened to each notebook, as printed.
COPIED, SAME, RAN, EDITED, REPLACED = "已复制", "已是最新", "保留（含运行结果）", "保留（已修改）", "已覆盖"


def bundled_notebooks() -> list[Path]:
    """The package's notebooks, by name."""
    return sorted((data_dir() / "notebooks").glob("*.ipynb"))


def copy_notebooks(folder: Path, force: bool = False) -> list[tuple[Path, str]]:
    """Copy every bundled notebook into ``folder`` (made if missing); each target with what
    happened to it (:data:`COPIED`, :data:`SAME`, :data:`RAN`, :data:`EDITED`, :data:`REPLACED`)."""
    ensure_folder(folder)
    done: list[tuple[Path, str]] = []
    for source in bundled_notebooks():
        target = folder / source.name
        data = source.read_bytes()
        if not target.exists():
            status = COPIED
        elif not target.is_file():
            raise OutputError(f"{target}: 已存在同名的文件夹或特殊文件，无法复制笔记本")
        elif target.read_bytes() == data:
            status = SAME
        elif force:
            status = REPLACED
        else:
            status = RAN if notebook_fingerprint(target) == notebook_fingerprint(source) else EDITED
        if status in (COPIED, REPLACED):
            write_file(target, data)
        done.append((target, status))
    return done
