"""The one hand-off of a run to its notebook: what the parent computed, saved to a private file
whose path the notebook receives as its ``evaluation_path`` parameter, and read back in the kernel
(:func:`~selfeval_lib.report.notebook.open_report`, :func:`~selfeval_lib.report.monitoring.open_monitoring`),
so the kernel neither parses nor computes the params again.

The file is a pickle for a kernel of the same installation on the same machine (never a file a
person hands over): the format marker, then one :class:`Handoff`.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_lib.errors import ReportError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.params import LoadedProject

#: Marks a hand-off file (and its layout's version).
FORMAT = "selfeval-handoff/1"


@dataclass(frozen=True)
class Handoff:
    """What a run hands its notebook: the product's name (``report``, ``monitoring`` …), the
    params file as the notebook names it (absolute), the product's run parameters (``{"month":
    7}``), the validated project and the computed result (the notebook renders the document's
    parts itself, :mod:`selfeval_lib.render.notebook`)."""

    product: str
    params: str
    parameters: Mapping[str, Any]
    loaded: LoadedProject
    result: Any


def params_name(params_path: str | Path) -> str:
    """A params file as a hand-off names it: its absolute path, printable."""
    return shown(Path(params_path).resolve())


def save_handoff(path: Path, handoff: Handoff) -> None:
    """Write ``handoff`` to ``path`` (a private temporary file of the run)."""
    Path(path).write_bytes(pickle.dumps((FORMAT, handoff), protocol=pickle.HIGHEST_PROTOCOL))


def load_handoff(path: str | Path, product: str, params_path: str | Path, **parameters: Any) -> Handoff:
    """The hand-off at ``path``, checked to be ``product``'s for this params file and these
    parameters; :class:`~selfeval_lib.errors.ReportError` says what does not fit."""
    try:
        marker, handoff = pickle.loads(Path(path).read_bytes())
    except (OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError) as exc:
        raise ReportError(f"无法读取已计算的结果 {path}（{type(exc).__name__}），请删除 evaluation_path 后重试") from None
    if (marker != FORMAT or not isinstance(handoff, Handoff) or handoff.product != product
            or handoff.params != params_name(params_path) or dict(handoff.parameters) != parameters):
        which = "".join(f"，{k} = {v}" for k, v in parameters.items())
        raise ReportError(f"已计算的结果 {path} 不属于参数文件 {params_path}{which}")
    return handoff
