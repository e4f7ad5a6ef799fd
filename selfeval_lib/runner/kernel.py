"""A Jupyter kernel started once and reused for many notebooks, offered to papermill as an engine.

``papermill.execute_notebook`` starts a new kernel for every notebook, and the kernel then
imports pandas, matplotlib and selfeval again: about 1.5 s per report. A :class:`WarmKernel`
is started once, does the report's imports ahead of need, clears its user namespace before each
notebook (as ``%reset -f`` does, without its garbage collections: :mod:`.namespace`), and
restarts after a failure or timeout (before its next notebook) and every ``recycle_after``
notebooks so that nothing accumulates. Its output goes to /dev/null, so the kernel's own
start-up warnings do not reach the terminal.

Papermill does everything else through its own API: :meth:`WarmKernel.execute` calls
``papermill.execute_notebook`` with ``engine_name="selfeval-warm"``, the engine registered here
(:func:`engine_class`), which runs papermill's notebook client on the warm kernel. A cell
that fails raises papermill's ``PapermillExecutionError``; a cell past the time limit, or a
kernel that dies, raises :class:`~selfeval_lib.errors.KernelTimeout`.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from selfeval_lib.errors import KernelTimeout, ReportError
from selfeval_lib.runner.options import DEFAULT_KERNEL

#: Imports done in a fresh kernel before it is needed (what the report and monitoring notebooks import).
WARM_UP_CODE = ("import selfeval_lib.render.notebook, selfeval_lib.report.charts, selfeval_lib.report.tables, "
                "selfeval_lib.report.narrative, selfeval_lib.report.outline, selfeval_lib.report.monitoring\n"
                "selfeval_lib.report.charts.chart_font()")
#: A clean user namespace before each notebook (:func:`selfeval_lib.runner.namespace.reset_namespace`).
RESET_CODE = "__import__('selfeval_lib.runner.namespace').runner.namespace.reset_namespace(get_ipython())"
#: The name under which :class:`WarmKernelEngine` is registered with papermill.
ENGINE_NAME = "selfeval-warm"

log = logging.getLogger(__name__)


class WarmKernel:
    """One Jupyter kernel reused for many notebook runs (see the module docstring); also the
    kernel of a single ``selfeval run`` (started, used once, shut down)."""

    def __init__(self, kernel_name: str = DEFAULT_KERNEL, cwd: Path | None = None, recycle_after: int = 50,
                 startup_timeout: int = 60):
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.recycle_after = recycle_after
        self.startup_timeout = startup_timeout
        self.km = None
        self.kc = None
        self.async_kc = None
        self.runs = 0
        self.dirty = False
        self._starting: threading.Thread | None = None
        self._start_error: BaseException | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel (its output to /dev/null) and do the report's imports in it."""
        from jupyter_client import KernelManager
        from jupyter_client.asynchronous import AsyncKernelClient

        self.km = KernelManager(kernel_name=self.kernel_name)
        self.km.start_kernel(cwd=str(self.cwd) if self.cwd else None,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=self.startup_timeout)
        self._run_silently(WARM_UP_CODE, timeout=self.startup_timeout)
        # nbclient needs an asynchronous client: with a blocking one its output polling blocks the
        # event loop, and neither the cell time limit nor the dead-kernel check can fire.
        self.async_kc = AsyncKernelClient()
        self.async_kc.load_connection_info(self.km.get_connection_info())
        self.async_kc.start_channels()
        self.runs = 0
        self.dirty = False

    def start_in_background(self) -> None:
        """Start the kernel on a thread, so that the caller's own imports and work overlap the
        kernel's start-up; the first :meth:`execute` waits for it."""
        def target() -> None:
            try:
                self.start()
            except BaseException as exc:  # re-raised by wait_started, in the caller's thread
                self._start_error = exc

        self._starting = threading.Thread(target=target, name="selfeval-kernel-start", daemon=True)
        self._starting.start()

    def wait_launched(self) -> None:
        """Wait until a background start has launched the kernel process (its imports of
        jupyter_client done) or has ended; the kernel may still be booting. Another thread that
        imports the same packages meanwhile could see them half-initialised."""
        starting = self._starting
        while self.kc is None and starting is not None and starting.is_alive():
            starting.join(0.01)

    def wait_started(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            if self._start_error is not None:
                error, self._start_error = self._start_error, None
                raise error

    def shutdown(self) -> None:
        self.wait_started_quietly()
        if self.async_kc is not None:
            self.async_kc.stop_channels()
            self.async_kc = None
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            finally:
                self.km = None

    def wait_started_quietly(self) -> None:
        try:
            self.wait_started()
        except BaseException:  # shutting down anyway
            pass

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def __enter__(self) -> "WarmKernel":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def _run_silently(self, code: str, timeout: float) -> None:
        reply = self.kc.execute_interactive(code, silent=True, store_history=False, timeout=timeout,
                                            output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise ReportError(f"内核预热失败：{content.get('ename')}: {content.get('evalue')}")

    def _prepare(self) -> None:
        """A clean kernel for the next notebook: restarted when needed, else its namespace reset."""
        self.wait_started()
        if self.km is None or not self.km.is_alive() or self.runs >= self.recycle_after or self.dirty:
            self.restart()
        else:
            self._run_silently(RESET_CODE, timeout=30)

    # --- execution -------------------------------------------------------------------------
    def execute(self, notebook: Path, parameters: dict[str, Any], timeout: int | None):
        """Parameterise and execute ``notebook`` with papermill on this kernel; the executed
        notebook (in memory, nothing written).

        Raises ``PapermillExecutionError`` when a cell fails and :class:`KernelTimeout` when a
        cell runs past ``timeout`` seconds or the kernel dies (the kernel is restarted before
        its next notebook in both cases).
        """
        import papermill
        from papermill.exceptions import PapermillExecutionError

        register_engine()
        try:
            return papermill.execute_notebook(
                str(notebook), None, parameters, engine_name=ENGINE_NAME, kernel_name=self.kernel_name,
                language="python", progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                warm_kernel=self, execution_timeout=timeout,
            )
        except PapermillExecutionError:
            self.dirty = True  # whatever the failed notebook left behind: restart before the next one
            raise

    def run_managed(self, nb_man, timeout: int | None) -> None:
        """Run papermill's notebook client over ``nb_man`` on this kernel (the engine's body)."""
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from papermill.clientwrap import PapermillNotebookClient

        self._prepare()
        try:
            client = PapermillNotebookClient(nb_man, km=self.km, timeout=timeout, kernel_name=self.kernel_name,
                                             startup_timeout=self.startup_timeout, log=log, log_output=False)
            client.kc = self.async_kc
            client.execute()
        except (CellTimeoutError, DeadKernelError) as exc:
            self.shutdown()  # a hung kernel would keep its core busy; the next run starts a new one
            raise KernelTimeout(f"单元格执行超过 {timeout} 秒或内核已退出（{type(exc).__name__}），已停止该内核",
                                seconds=timeout) from None
        finally:
            self.runs += 1


def register_engine() -> None:
    """Register :class:`WarmKernelEngine` with papermill as ``selfeval-warm`` (idempotent)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, engine_class())


@lru_cache(maxsize=1)
def engine_class() -> type:
    """:class:`WarmKernelEngine`, a subclass of papermill's ``Engine``: built on first use, so
    that importing this module (to start a kernel early) does not import papermill."""
    from papermill.engines import Engine

    class WarmKernelEngine(Engine):
        """Papermill engine that executes on the :class:`WarmKernel` passed as ``warm_kernel``."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, warm_kernel: WarmKernel | None = None,
                                     execution_timeout: int | None = None, **kwargs) -> None:
            if warm_kernel is None:
                raise ReportError(f"{ENGINE_NAME} 引擎需要 warm_kernel 参数")
            warm_kernel.run_managed(nb_man, execution_timeout)

    return WarmKernelEngine
