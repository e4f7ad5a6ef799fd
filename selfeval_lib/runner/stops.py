"""How a run stops: Ctrl-C (SIGINT), SIGTERM (a scheduler, a service manager or a CI runner
ending the job) and SIGHUP (the terminal closed) all end a run the same way — the work in hand
is stopped, what finished is kept and recorded — and the process exits with ``128 + signal``:
130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP.

:func:`stop_on_signals` turns SIGTERM and SIGHUP into :class:`Stopped`, a ``KeyboardInterrupt``,
so every ``except KeyboardInterrupt`` / ``finally`` that cleans up after Ctrl-C also cleans up
after them. :func:`die_with_parent` makes a worker process end when its parent does, however
the parent ended (even SIGKILL), so no worker goes on writing reports nobody records.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

#: The signals handled as Ctrl-C besides SIGINT itself.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else (signal.SIGTERM,)
#: Their names in messages.
SIGNAL_ZH = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "终止信号 SIGTERM",
             **({signal.SIGHUP: "终端关闭信号 SIGHUP"} if hasattr(signal, "SIGHUP") else {})}


class Stopped(KeyboardInterrupt):
    """The run was stopped by a signal other than Ctrl-C (``signum``)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def signal_of(exc: KeyboardInterrupt) -> int:
    """The signal behind an interruption: its own for :class:`Stopped`, SIGINT for Ctrl-C."""
    return exc.signum if isinstance(exc, Stopped) else int(signal.SIGINT)


def exit_code(signum: int) -> int:
    """The shell's exit code of a process ended by ``signum``: 128 + its number."""
    return 128 + int(signum)


def _raise_stopped(signum, frame) -> None:
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread (elsewhere,
    or where a handler of the caller's is set, nothing changes); the previous handlers after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) in (signal.SIG_DFL, None):  # leave a caller's own handler alone
            previous[signum] = signal.signal(signum, _raise_stopped)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def ignore_stops() -> dict[int, object]:
    """Ignore SIGINT, SIGTERM and SIGHUP from now on (main thread only: a second signal must not
    break the clean-up after the first); the handlers replaced, for :func:`restore`."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, *STOP_SIGNALS)}


def restore(handlers: dict[int, object]) -> None:
    """Put back the handlers :func:`ignore_stops` replaced."""
    for signum, handler in handlers.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, signum: int = signal.SIGTERM) -> None:
    """In a worker of the process ``parent_pid``: receive ``signum`` when its parent process ends
    (Linux ``PR_SET_PDEATHSIG``); if ``parent_pid`` has already gone, exit now. A worker forked by
    a fork server has the server as its parent, which ends when ``parent_pid`` does (its pipe from
    ``parent_pid`` closes), so the signal comes then too. Elsewhere the worker notices through its pipe."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the pipe still tells
            pass
    if os.getppid() != parent_pid and not _alive(parent_pid):  # it ended before the request took effect
        os._exit(exit_code(signum))


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a zombie counts: its parent has not reaped it yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by another user
        return True
    return True
