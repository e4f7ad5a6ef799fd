"""Names a module no longer has because they moved to another layer: importing one says, in
Chinese, where it is now, so that a notebook copied from an earlier version (``selfeval
notebooks`` makes working copies) fails with what to change rather than a bare ImportError."""

from __future__ import annotations

from collections.abc import Callable, Mapping


def moved(module: str, names: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``module`` whose ``names`` (name → the module that has it now)
    raise an ImportError naming the new import; any other name is simply missing."""
    def __getattr__(name: str) -> object:
        if name in names:
            raise ImportError(f"{name} 已移至 {names[name]}：请将笔记本中的“from {module} import {name}”改为"
                              f"“from {names[name]} import {name}”，或运行 selfeval notebooks 取得新版笔记本")
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return __getattr__


__all__ = ["moved"]
