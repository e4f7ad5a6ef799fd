"""Every error selfeval raises, under one root: :class:`SelfevalError`.

The command line catches ``SelfevalError`` and prints its message (exit 1 for bad input or a
failed report); anything else is an internal error (exit 2). Imports nothing from the package, so
every layer may raise these.

- :class:`InputError` — a file that cannot be used; ``problems`` lists every reason, each with
  file, line and field (``Problem`` lives in :mod:`selfeval_lib.inputs.messages`).
- :class:`ValueReadError` — a value that cannot be read: a quantity string
  (:class:`QuantityError`, :class:`UnitMismatch`), a table cell (:class:`CellError`), an
  indicator that cannot be scored (:class:`ScoringError`). These are also ``ValueError``.
- :class:`ReportError` — a report that could not be produced; :class:`CellFailed` keeps the
  failing cell's number, the exception's name and value as fields; :class:`KernelTimeout` a cell
  that ran past the time limit.
- :class:`FontsNotFound` — no Simplified Chinese font is installed.
- :class:`OutputError` — a file or folder that cannot be written (disk full, read-only, a file
  where a folder is expected …); ``path`` and ``reason`` name it.
"""

from __future__ import annotations

from typing import Any, Sequence


class SelfevalError(Exception):
    """Root of every error selfeval raises on purpose; ``str(error)`` is a message for the user."""


class InputError(SelfevalError):
    """Input that cannot be used; ``problems`` says every reason (file, line, field, message)."""

    def __init__(self, problems: Sequence[Any]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


class ValueReadError(SelfevalError, ValueError):
    """A single value (a quantity, a cell, an indicator) that cannot be read or scored."""


class QuantityError(ValueReadError):
    """A target or actual string that looks numeric but cannot be read."""


class UnitMismatch(QuantityError):
    """Two values whose units cannot be converted into each other (e.g. 人 vs 万元)."""


class CellError(ValueReadError):
    """A table cell that should hold a number but does not."""


class ScoringError(ValueReadError):
    """An indicator whose target and actual cannot be scored together."""


class ReportError(SelfevalError):
    """A report that could not be produced; the message says why."""


class CellFailed(ReportError):
    """A notebook cell raised: its 1-based number as the author sees it, its first line, and the
    exception's name and value."""

    def __init__(self, notebook: str, cell: int, first_line: str, ename: str, evalue: str):
        self.notebook, self.cell, self.first_line, self.ename, self.evalue = notebook, cell, first_line, ename, evalue
        super().__init__(f"报告笔记本 {notebook} 第 {cell} 个单元格（{first_line}）出错：{ename}: {evalue}")


class KernelTimeout(ReportError):
    """A cell ran past the time limit (seconds); the kernel was restarted."""

    def __init__(self, message: str, seconds: float | None = None):
        super().__init__(message)
        self.seconds = seconds


class FontsNotFound(SelfevalError):
    """No Simplified Chinese font is installed."""


class OutputError(SelfevalError):
    """A file or folder that could not be written (a read-only folder, a file where a folder is
    expected, a full disk …): the message names the path and the reason; ``path`` and
    ``reason`` keep them as fields. Nothing half-written is left behind."""

    def __init__(self, message: str, path: str = "", reason: str = ""):
        super().__init__(message)
        self.path, self.reason = path, reason
