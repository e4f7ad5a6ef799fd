"""Run tasks in a local pool of worker processes.

Where fork servers exist (Linux), workers are forked from a fork server that has already
imported and set up what a report needs (:mod:`selfeval_lib.batch.warm`), so a worker is ready
at once, and executes the notebooks in its own process with the in-process engine that
``selfeval run`` uses (:mod:`selfeval_lib.runner.inprocess`; each notebook in a fresh
namespace). Elsewhere, or with ``--kernel NAME``, workers are spawned and each executes on one
:class:`~selfeval_lib.runner.kernel.WarmKernel`. A worker takes one task at a time over its own
pipe, so the parent always knows what a worker was doing: a cell error, a timeout or a worker
that dies fails that project only, and a dead worker is replaced. Files are moved into place
only when complete (``run_product``); temporary files of a dead worker (and only its own: they
carry its pid) are removed.

A cell past the time limit is interrupted in the worker (a kernel's cell by the kernel's stop);
an in-process cell that cannot be interrupted (blocked in C code, as in a ``time.sleep``) is
seen by the parent, which watches when each worker's running cell started: past the limit and
:data:`STUCK_GRACE` seconds more, the worker and its processes are killed, its project fails
with the time limit, and a new worker takes its place.

Workers ignore SIGINT and SIGHUP (Ctrl-C and a closed terminal reach the whole process group):
the parent handles them. When the pool is closed early (a stop in the parent, or any exception),
busy workers are terminated — a worker exits cleanly on SIGTERM, stopping its kernel or browser —
and their temporary files removed. A worker ends with its parent, however the parent ended
(:func:`~selfeval_lib.runner.stops.die_with_parent`). Workers that die before they are ready
are replaced at most :data:`START_ATTEMPTS` times in all; then the tasks left fail with the reason.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from selfeval_lib.batch.task import Outcome, Task
from selfeval_lib.errors import SelfevalError
from selfeval_lib.files.atomic import remove_temporaries
from selfeval_lib.runner.options import DEFAULT_KERNEL, RunOptions
from selfeval_lib.runner.run import remove_evaluation_files
from selfeval_lib.runner.stops import die_with_parent

#: Workers that may fail to start (die or report a broken kernel) before the pool gives up.
START_ATTEMPTS = 3
#: Seconds past the cell time limit after which the parent kills an in-process worker whose
#: cell was not interrupted (see the module docstring).
STUCK_GRACE = 5.0


def run_task(task: Task, kernel=None) -> Outcome:
    """Run one task in this process (a worker's body; usable on its own, e.g. by a scheduler):
    the task's validated project is computed once and its product's notebook executed on
    ``kernel``. The state is not touched: the caller records the outcome
    (:func:`~selfeval_lib.batch.state.record_outcome`)."""
    from selfeval_lib.runner.run import run_product

    started = time.perf_counter()
    try:
        result = run_product(task.product, task.params, task.out_root, task.options, kernel=kernel,
                             loaded=task.loaded, record=False)  # the parent records the folder with the outcome
    except SelfevalError as exc:
        return Outcome(task, "failed", time.perf_counter() - started, error=str(exc))
    except Exception as exc:  # isolate the unexpected too: record it, keep the batch going
        return Outcome(task, "failed", time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
    return Outcome(task, "ok", time.perf_counter() - started, row=task.product.index.row(result.metrics),
                   timings=result.timings)


def _worker_main(conn, notebook_dir: str, kernel_name: str | None, formats: tuple[str, ...], parent_pid: int,
                 pdf_engine: str = "auto", browser: str | None = None, cell_clock=None) -> None:
    """A worker process: the notebooks executed in this process (or on one warm kernel of
    ``kernel_name``), exporters set up once (and, with the browser engine, one browser for all
    its reports), one task at a time, talking to the parent over its own pipe (so a worker
    killed mid-message can only break its own pipe). ``cell_clock`` (shared with the parent)
    holds the ``time.monotonic()`` at which the running in-process cell started, 0 when none runs."""
    import logging

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # so is a closed terminal
    signal.signal(signal.SIGTERM, _exit_on_sigterm if kernel_name else _exit_now)
    _let_go_of_fork_server()
    die_with_parent(parent_pid)  # SIGTERM when the parent ends, however it ends
    from selfeval_lib.runner.startup import skip_slow_optional_imports

    skip_slow_optional_imports()
    logging.disable(logging.WARNING)
    # A Ctrl-C also reaches the kernels: nbclient's cell task then ends with DeadKernelError while the
    # parent stops this worker, and asyncio would log "Task exception was never retrieved" with a
    # traceback. The outcome of a task is reported to the parent, never through asyncio's log.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    from selfeval_lib.runner.kernel import WarmKernel

    kernel = WarmKernel(kernel_name, cwd=Path(notebook_dir)) if kernel_name else None
    try:
        try:
            started = time.perf_counter()
            if kernel is not None:
                kernel.start_in_background()  # the renderers' imports below overlap the kernel's start
            from selfeval_lib.render.registry import warm_up
            from selfeval_lib.runner import inprocess
            from selfeval_lib.runner.kernel import register_engine

            register_engine()
            startup = warm_up(formats, pdf_engine, browser)  # browser launched or fonts loaded, templates compiled
            if kernel is not None:
                kernel.wait_started()
                executor = kernel
            else:
                inprocess.register_engine()
                inprocess.preload()  # the notebooks' imports, the charts' font and the shell, once
                executor = inprocess.InProcess(_cell_clock_setter(cell_clock))
            startup["ready"] = time.perf_counter() - started  # a kernel's start overlaps the rest
        except Exception as exc:
            conn.send(("broken", f"{type(exc).__name__}: {exc}"))
            return
        conn.send(("ready", startup))
        while True:
            task = conn.recv()
            if task is None:
                break
            conn.send(("done", run_task(task, executor)))
    except (EOFError, OSError):  # the parent is gone
        pass
    finally:
        if kernel is not None:
            kernel.shutdown()
        _close_browser()


def _cell_clock_setter(cell_clock):
    """``on_cell`` for :class:`~selfeval_lib.runner.inprocess.InProcess`: writes the running cell's
    start (``time.monotonic()``, comparable across processes) into ``cell_clock``, 0 when none runs."""
    if cell_clock is None:
        return None

    def on_cell(running: bool) -> None:
        cell_clock.value = time.monotonic() if running else 0.0

    return on_cell


def _close_browser() -> None:
    """Close this worker's browser, if the browser engine started one."""
    from selfeval_lib.render.pdf_browser import close_shared

    close_shared()


def _let_go_of_fork_server() -> None:
    """In a worker forked by the fork server: close the server's keep-alive pipe, which
    :mod:`multiprocessing` hands every forked process (so that it could fork in turn). Held by
    the workers, it would keep the server alive after the batch's process was killed, and the
    workers with it; let go, the server ends with the batch's process and the workers with the
    server (:func:`~selfeval_lib.runner.stops.die_with_parent`)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int):  # None in a spawned worker
        try:
            os.close(fd)
        except OSError:
            pass
        server._forkserver_alive_fd = None


def _exit_now(signum, frame) -> None:
    """SIGTERM in a worker that executes notebooks in its own process: end at once, with its
    browser. (Unwinding cannot be relied on: the running cell's shell catches any exception, a
    ``SystemExit`` too.) The parent, or the next run, removes its temporary files."""
    from selfeval_lib.render.pdf_browser import descendants

    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(128 + signum)


def _exit_on_sigterm(signum, frame) -> None:
    """SIGTERM (the parent stopping the pool early): unwind, so the kernel is shut down and this
    worker's temporary files are removed on the way out."""
    raise SystemExit(128 + signum)


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    task: Task | None = None
    startup: dict[str, float] | None = None  # seconds of its start-up steps, until its first outcome
    cell_clock: Any = None  # shared: when its running in-process cell started (time.monotonic()), else 0


def _stuck(worker: _Worker, timeout: int | None, now: float) -> bool:
    """Whether ``worker``'s in-process cell has run past ``timeout`` and :data:`STUCK_GRACE`
    (it was not interrupted: the worker must be replaced)."""
    started = worker.cell_clock.value if worker.cell_clock is not None else 0.0
    return bool(timeout) and worker.task is not None and started > 0 and now - started > timeout + STUCK_GRACE


def _kill(worker: _Worker) -> None:
    """Kill a worker that cannot stop by itself, with its own processes (a browser's)."""
    from selfeval_lib.render.pdf_browser import descendants

    for pid in [*descendants(worker.process.pid), worker.process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    worker.process.join(timeout=5)


def _remove_files_of(worker: _Worker) -> None:
    """Remove what a worker that died (or was stopped) mid-task left: its temporary files in its
    task's report folder and its temporary evaluation files."""
    if worker.task is not None and worker.process.pid is not None:
        remove_temporaries(worker.task.out_dir, worker.process.pid)
        remove_evaluation_files(worker.process.pid)


def _start_ignoring_sigint(process) -> None:
    """Start ``process`` with SIGINT and SIGHUP ignored from its first instruction (a spawned child
    inherits ignored signals), so a Ctrl-C or a closed terminal during its start-up prints no
    traceback."""
    if threading.current_thread() is not threading.main_thread():
        process.start()
        return
    ignored = [s for s in (signal.SIGINT, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in ignored}
    try:
        process.start()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _context(options: RunOptions, formats: tuple[str, ...]) -> tuple[Any, str | None]:
    """Where workers come from, and the kernel they execute on (None: in their own process).
    Where fork servers exist (Linux; see :mod:`multiprocessing`), workers are forked from one
    that has imported and set up what they need (:mod:`selfeval_lib.batch.warm`, and WeasyPrint
    with its fonts when it may print the PDFs), so each is ready at once and executes in its own
    process; elsewhere (Windows, macOS's default) they are spawned and each executes on a warm
    kernel, whose start overlaps the worker's own imports. ``--kernel NAME`` always gets spawned
    workers with a kernel of that name."""
    if options.kernel_name is None and "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        if "pdf" in formats and options.pdf_engine != "browser":
            ctx.set_forkserver_preload(["selfeval_lib.batch.warm", "selfeval_lib.batch.warm_weasyprint"])
        else:
            ctx.set_forkserver_preload(["selfeval_lib.batch.warm"])
        return ctx, None
    return mp.get_context("spawn"), options.kernel_name or DEFAULT_KERNEL


def run_parallel(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Run tasks in ``jobs`` worker processes; yield each outcome as it arrives.

    Each worker has its own pipe and holds one task at a time, so the parent always knows what a
    worker was doing: when its pipe closes without an answer (the worker died), that task alone
    fails, its temporary files are removed, and a new worker takes its place. A worker's first
    outcome carries its start-up in its timings, in seconds: ``worker_pdf`` and ``worker_html``
    (the renderers' warm-up) and ``worker_ready`` (from its start to its kernel ready).
    """
    if not tasks:
        return
    pending = deque(tasks)
    workers: dict[Any, _Worker] = {}
    startup_failures: list[str] = []
    formats = tuple(sorted({f for t in tasks for f in t.options.formats}))
    ctx, kernel_name = _context(tasks[0].options, formats)
    options = tasks[0].options
    notebook_dir = str(tasks[0].product.notebook_for(options).parent)

    def spawn() -> None:
        nonlocal ctx, kernel_name
        parent_end, child_end = ctx.Pipe()
        clock = ctx.RawValue("d", 0.0)
        process = ctx.Process(target=_worker_main, args=(child_end, notebook_dir, kernel_name, formats,
                                                         os.getpid(), options.pdf_engine, options.browser, clock),
                              daemon=True, name="selfeval-worker")
        try:
            _start_ignoring_sigint(process)
        except (EOFError, OSError):  # the fork server could not start: spawn workers, with kernels
            parent_end.close()
            child_end.close()
            if ctx.get_start_method() != "forkserver":
                raise
            ctx, kernel_name = mp.get_context("spawn"), options.kernel_name or DEFAULT_KERNEL
            spawn()
            return
        child_end.close()
        workers[parent_end] = _Worker(process, parent_end, cell_clock=clock)

    def assign(worker: _Worker) -> None:
        if worker.ready and worker.task is None and pending:
            worker.task = pending.popleft()
            worker.conn.send(worker.task)

    for _ in range(min(jobs, len(tasks))):
        spawn()
    outstanding = len(tasks)
    try:
        while outstanding:
            for conn in mp_connection.wait(list(workers), timeout=1.0):
                worker = workers[conn]
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    kind, payload = "dead", None
                if kind == "ready":
                    worker.ready, worker.startup = True, payload
                    assign(worker)
                elif kind == "done":
                    worker.task = None
                    outstanding -= 1
                    for step, seconds in (worker.startup or {}).items():  # the worker's first outcome
                        payload.timings[f"worker_{step}"] = seconds
                    worker.startup = None
                    yield payload
                    assign(worker)
                else:  # "broken" at start-up, or "dead": the pipe closed without an answer
                    del workers[conn]
                    conn.close()
                    worker.process.join(timeout=5)
                    if kind == "broken":
                        startup_failures.append(payload)
                    elif not worker.ready:  # died before it could take a task
                        startup_failures.append(f"启动时退出（退出码 {worker.process.exitcode}）")
                    if worker.task is not None:
                        outstanding -= 1
                        _remove_files_of(worker)
                        yield Outcome(worker.task, "failed", 0.0,
                                      error=f"工作进程意外退出（退出码 {worker.process.exitcode}），本项目未完成")
                    if pending and len(startup_failures) < START_ATTEMPTS:
                        spawn()
            now = time.monotonic()
            for conn, worker in list(workers.items()):
                if _stuck(worker, options.timeout, now):  # its cell was not interrupted: replace it
                    del workers[conn]
                    _kill(worker)
                    conn.close()
                    outstanding -= 1
                    _remove_files_of(worker)
                    yield Outcome(worker.task, "failed", 0.0,
                                  error=f"单元格执行超过 {options.timeout} 秒且无法中断，已停止该工作进程，本项目未完成")
                    if pending:
                        spawn()
            if not workers and pending:
                reason = startup_failures[-1] if startup_failures else "工作进程无法启动"
                while pending:
                    outstanding -= 1
                    yield Outcome(pending.popleft(), "failed", 0.0, error=f"工作进程无法启动：{reason}")
    finally:
        _stop(list(workers.values()))


def _stop(workers: list[_Worker]) -> None:
    """Stop the pool: an idle worker is told to finish; a busy one (the pool closed early) is
    terminated and its temporary files removed. A worker that does not exit in time is killed."""
    for worker in workers:
        if worker.task is not None or not worker.ready:
            worker.process.terminate()
            continue
        try:
            worker.conn.send(None)
        except (OSError, ValueError):
            pass
    deadline = time.monotonic() + 10
    for worker in workers:
        worker.process.join(timeout=max(0.1, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        _remove_files_of(worker)


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
