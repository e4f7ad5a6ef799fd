"""SIGTERM and SIGHUP as Ctrl-C: inside :func:`stop_on_signals` they raise :class:`Stopped` (a
KeyboardInterrupt naming its signal), the exit code is 128 + the signal, the handlers are put
back afterwards, a caller's own handler is left alone. The signals are sent by this process to
itself, so each arrives exactly where the test sends it."""

from __future__ import annotations

import signal

import pytest

from selfeval_lib.runner.stops import Stopped, exit_code, ignore_stops, restore, signal_of, stop_on_signals


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_stop_signal_is_an_interruption_naming_its_signal(signum, code):
    before = signal.getsignal(signum)
    with pytest.raises(KeyboardInterrupt) as info:
        with stop_on_signals():
            signal.raise_signal(signum)  # to this thread, synchronously: the handler runs right after
    assert isinstance(info.value, Stopped) and signal_of(info.value) == signum and exit_code(signum) == code
    assert signal.getsignal(signum) == before


def test_ctrl_c_keeps_its_own_code():
    assert signal_of(KeyboardInterrupt()) == signal.SIGINT and exit_code(signal_of(KeyboardInterrupt())) == 130


def test_a_callers_own_handler_is_left_alone():
    seen = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    try:
        with stop_on_signals():
            signal.raise_signal(signal.SIGTERM)
        assert seen == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_ignored_during_clean_up_then_restored():
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    replaced = ignore_stops()
    try:
        assert all(signal.getsignal(s) == signal.SIG_IGN for s in before)
        signal.raise_signal(signal.SIGHUP)  # ignored: nothing happens
    finally:
        restore(replaced)
    assert {s: signal.getsignal(s) for s in before} == before
