"""The evidence (佐证材料) of each indicator, checked on disk: the files its manifest names
(relative to the input's folder; a path outside that folder is refused, not opened), or, when an
indicator names none, the files of an evidence folder beside the input (``<stem>.evidence/`` or
``evidence/``) whose names contain the indicator's name (normalised: NFKC, no spaces or
punctuation, case folded). Every file found is hashed (SHA-256); a declared hash that differs is
reported by the rules (``evidence_mismatch``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from selfeval_lib.requality.model import EvidenceCheck
from selfeval_lib.requality.subject import Row

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
#: Bytes read at a time when a file is hashed.
_CHUNK = 1 << 20


def normalise_name(text: str) -> str:
    """A name as compared: NFKC, case folded, without spaces and punctuation."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def evidence_folders(input_path: Path) -> list[Path]:
    """The evidence folders looked at for an input without a manifest, in order."""
    folder = input_path.parent
    return [p for p in (folder / f"{input_path.stem}.evidence", folder / "evidence") if p.is_dir()]


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _folder_files(folders: list[Path], base: Path) -> list[tuple[Path, str]]:
    """The files of the evidence folders (hidden ones and links leading outside ``base`` left out)."""
    files: list[tuple[Path, str]] = []
    for folder in folders:
        files.extend((p, normalise_name(p.stem)) for p in sorted(folder.rglob("*"))
                     if p.is_file() and not p.name.startswith(".") and _inside(p, base))
    return files


def check_evidence(rows: tuple[Row, ...], input_path: Path) -> dict[int, tuple[EvidenceCheck, ...]]:
    """Index of each row → its evidence as found (an empty tuple when it has none)."""
    base = input_path.parent
    folder_files: list[tuple[Path, str]] | None = None
    out: dict[int, tuple[EvidenceCheck, ...]] = {}
    for index, row in enumerate(rows):
        checks: list[EvidenceCheck] = []
        for item in row.evidence:
            path = base / item.file
            if not _inside(path, base):
                checks.append(EvidenceCheck(item.file, item.description or "路径在输入文件所在文件夹之外，未读取",
                                            "manifest", False, None, item.sha256))
                continue
            present = path.is_file()
            checks.append(EvidenceCheck(item.file, item.description, "manifest", present,
                                        sha256_of(path) if present else None, item.sha256))
        if not row.evidence:
            if folder_files is None:
                folder_files = _folder_files(evidence_folders(input_path), base)
            key = normalise_name(row.name)
            for path, stem in folder_files:
                if key and key in stem:
                    checks.append(EvidenceCheck(path.relative_to(base).as_posix(), "按指标名称匹配", "folder", True,
                                                sha256_of(path), None))
        out[index] = tuple(checks)
    return out
