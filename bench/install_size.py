"""The size of an install: the packages ``pip install selfeval`` brings (no extras) and with each
extra, counted from the metadata of this environment (no download): the dependency closure of
the requirements in pyproject.toml and the bytes of every file those distributions installed.

Usage: python bench/install_size.py   (in an environment with selfeval[test,lab] installed)
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def closure(requirements: list[str]) -> set[str]:
    """The normalised names of every distribution ``requirements`` need, through the installed
    distributions' own requirements (their extras followed)."""
    env = dict(default_environment())
    seen: set[tuple[str, tuple[str, ...]]] = set()
    names: set[str] = set()
    todo = [Requirement(text) for text in requirements]
    while todo:
        req = todo.pop()
        key = (_name(req.name), tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        names.add(key[0])
        for text in metadata.distribution(req.name).requires or []:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({**env, "extra": e}) for e in ("", *req.extras)):
                todo.append(sub)
    return names


def size(names: set[str]) -> int:
    """Bytes on disk of the files the distributions ``names`` installed."""
    total = 0
    for name in names:
        for file in metadata.distribution(name).files or []:
            path = Path(file.locate())
            if path.is_file():
                total += path.stat().st_size
    return total


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bare = closure(project["dependencies"])
    print(f"pip install selfeval: {len(bare) + 1} packages, {size(bare) / 1e6:.0f} MB (without selfeval itself)")
    for extra in ("lab", "dask", "ocr"):
        more = closure(project["dependencies"] + project["optional-dependencies"][extra])
        print(f"  + [{extra}]: {len(more) + 1} packages, {size(more) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
