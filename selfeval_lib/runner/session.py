"""What one run executes its notebook on (:class:`KernelSession`): a batch worker's warm kernel,
this process, or a kernel started for the run, with the run's imports preloaded meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selfeval_lib.render.registry import warm_up
from selfeval_lib.runner.inprocess import InProcess
from selfeval_lib.runner.kernel import WarmKernel
from selfeval_lib.runner.options import DEFAULT_KERNEL, RunOptions

__all__ = ["KernelSession", "timed"]


def _preload(options: RunOptions, kernel: WarmKernel | None, engine_ready: threading.Event) -> threading.Thread:
    """Do the imports and first-use set-up the run will need, on one thread, while the run
    validates and executes: a named browser launched first (it starts in processes of its own),
    then papermill and what executes the notebook — ``kernel``'s engine once its process is
    launched, or the in-process shell with the notebooks' imports (then ``engine_ready`` is
    set) — then the renderers (:func:`~selfeval_lib.render.registry.warm_up`). Errors are left
    for the step itself to raise."""
    def target() -> None:
        try:
            if "pdf" in options.formats and options.pdf_engine == "browser":
                warm_up(["pdf"], options.pdf_engine, options.browser)
            if kernel is not None:
                kernel.wait_launched()
                from selfeval_lib.runner.kernel import register_engine

                register_engine()
            else:
                from selfeval_lib.runner import inprocess

                inprocess.register_engine()
                inprocess.preload()
            engine_ready.set()
            warm_up(options.formats, options.pdf_engine, options.browser)
        except Exception:
            pass
        finally:
            engine_ready.set()

    thread = threading.Thread(target=target, name="selfeval-preload", daemon=True)
    thread.start()
    return thread


@contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - started


class KernelSession:
    """What one run executes its notebook on: the caller's warm kernel (a batch worker's); else,
    when a notebook format is asked for, this process (:mod:`.inprocess`) or, with
    ``options.kernel_name`` (or inside a running IPython), a kernel started here — launched
    before the parent's own work and shut down in the background while the files are rendered.
    The run's imports are preloaded meanwhile (:func:`_preload`). Use :meth:`ready` before
    executing, :meth:`release` once executed, :meth:`rendering` before rendering and
    :meth:`close` at the end (in a ``finally``)."""

    def __init__(self, options: RunOptions, notebook: Path, kernel: WarmKernel | None,
                 timings: dict[str, float] | None = None) -> None:
        self.kernel: WarmKernel | InProcess | None = kernel
        self.timings = timings if timings is not None else {}
        self._own: WarmKernel | None = None
        self._loading: threading.Thread | None = None
        self._stopping: threading.Thread | None = None
        self._engine_ready = threading.Event()
        self._engine_ready.set()
        if options.needs_notebook and kernel is None:
            from selfeval_lib.runner import inprocess

            if options.kernel_name is None and inprocess.available():
                self.kernel = InProcess()
            else:
                self._own = self.kernel = WarmKernel(options.kernel_name or DEFAULT_KERNEL, cwd=notebook.parent)
                self._own.start_in_background()
            self._engine_ready.clear()
            self._loading = _preload(options, self._own, self._engine_ready)

    def ready(self) -> WarmKernel | InProcess:
        """What to execute on, once papermill's engine is registered (papermill is imported by one
        thread only); the wait is timed as ``timings["start"]``."""
        with timed(self.timings, "start"):
            self._engine_ready.wait()
        assert self.kernel is not None
        return self.kernel

    def release(self) -> None:
        """The notebook is executed (or failed): an own kernel starts shutting down."""
        if self._own is not None and self._stopping is None:
            self._stopping = threading.Thread(target=self._own.shutdown, name="selfeval-kernel-stop")
            self._stopping.start()

    def rendering(self) -> None:
        """Wait for the preloading (the exporters the renderers use) to finish; the wait is timed
        as ``timings["warm_up"]``."""
        if self._loading is not None:
            with timed(self.timings, "warm_up"):
                self._loading.join()

    def close(self) -> None:
        """Wait for an own kernel's shutdown."""
        if self._stopping is not None:
            self._stopping.join()
