"""The command's output streams: everything printed also appended, line by line with its time,
to a log file (:func:`log_to`), and a stream that survives its reader going away (:class:`PipeGuard`).

May import only ``errors`` (a log that cannot be opened is an :class:`~selfeval_lib.errors.OutputError`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from typing import Any, Iterator, TextIO

from selfeval_lib.errors import OutputError


class _Tee:
    """A text stream that also writes each finished line to ``log`` with the time it was written
    (a progress bar's redrawn line, which ends in ``\\r``, keeps only its last state)."""

    def __init__(self, stream: TextIO, log: TextIO):
        self._stream, self._log, self._pending = stream, log, ""

    def write(self, text: str) -> int:
        self._stream.write(text)
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            line = line.rsplit("\r", 1)[-1].rstrip()
            if line:
                self._log.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {line}\n")
        self._log.flush()
        return len(text)

    def __getattr__(self, name: str) -> Any:  # isatty, flush, encoding … of the terminal
        return getattr(self._stream, name)


@contextlib.contextmanager
def log_to(path: str | None) -> Iterator[None]:
    """With ``path``, everything the command prints (messages, each project's result, the summary)
    is also appended to that file, one timed line each, UTF-8; without it, nothing changes. A log
    that cannot be opened is an :class:`~selfeval_lib.errors.OutputError` before anything runs."""
    if not path:
        yield
        return
    try:
        log = open(path, "a", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise OutputError(f"无法写入日志文件 {path}：{exc.strerror or exc}", path, str(exc.strerror or exc)) from None
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Tee(out, log), _Tee(err, log)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
        log.close()


# --- output whose reader has gone ---------------------------------------------------------------

class PipeGuard:
    """A text stream (stdout or stderr) that survives its reader going away (``| head``, a closed
    ``less``): from the first broken pipe on, what is written goes to the null device, so the
    command finishes its work (a batch records and indexes every project) instead of failing on a
    message nobody reads. ``closed`` says whether that happened."""

    def __init__(self, stream: TextIO):
        self._stream, self.closed = stream, False

    def _to_null(self) -> None:
        self.closed = True
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self._stream.fileno())
        finally:
            os.close(null)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._to_null()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_null()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding … of the stream
        return getattr(self._stream, name)
