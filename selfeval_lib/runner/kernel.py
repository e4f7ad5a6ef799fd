"""Execute parameterised notebooks with papermill on a kernel that is started once and reused.

``papermill.execute_notebook`` starts a new kernel for every notebook, and the kernel then
imports pandas, matplotlib and selfeval again: about 1.5 s per report. A batch worker keeps one
:class:`WarmKernel` instead: started once, the report's imports done ahead of need, its user
namespace reset before each notebook (``%reset -f``), and restarted after a failure or timeout
(before its next notebook) and every ``recycle_after`` notebooks so that nothing accumulates.
Its output goes to /dev/null, so the kernel's own start-up warnings do not reach the terminal.

The notebook still goes through papermill's own steps: parameter injection
(``parameterize_notebook``), its execution manager and notebook client, and its error reporting
(``PapermillExecutionError`` naming the failing cell).
"""

from __future__ import annotations

import copy
import logging
import subprocess
from pathlib import Path

import nbformat

#: Imports done in a fresh kernel before it is needed (what the report notebook will import).
WARM_UP_CODE = "import selfeval_lib.report.notebook, selfeval_lib.report.charts\nselfeval_lib.report.charts.chart_font()"
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"

log = logging.getLogger(__name__)


class KernelTimeout(RuntimeError):
    """A cell ran past the time limit; the kernel was restarted."""


class WarmKernel:
    """One Jupyter kernel reused for many notebook runs (see the module docstring); also the
    kernel of a single ``selfeval run`` (started, used once, shut down)."""

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None, recycle_after: int = 50,
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

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel (its output to /dev/null) and do the report's imports in it."""
        from jupyter_client import KernelManager

        self.km = KernelManager(kernel_name=self.kernel_name)
        self.km.start_kernel(cwd=str(self.cwd) if self.cwd else None,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=self.startup_timeout)
        self._run_silently(WARM_UP_CODE, timeout=self.startup_timeout)
        # nbclient needs an asynchronous client: with a blocking one its output polling blocks the
        # event loop, and neither the cell time limit nor the dead-kernel check can fire.
        from jupyter_client.asynchronous import AsyncKernelClient

        self.async_kc = AsyncKernelClient()
        self.async_kc.load_connection_info(self.km.get_connection_info())
        self.async_kc.start_channels()
        self.runs = 0
        self.dirty = False

    def shutdown(self) -> None:
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
            raise RuntimeError(f"内核预热失败：{content.get('ename')}: {content.get('evalue')}")

    # --- execution -------------------------------------------------------------------------
    def execute(self, notebook: nbformat.NotebookNode, parameters: dict, input_path: str,
                timeout: int | None) -> nbformat.NotebookNode:
        """Parameterise and execute a copy of ``notebook`` with papermill on this kernel.

        Raises ``PapermillExecutionError`` when a cell fails and :class:`KernelTimeout` when a
        cell runs past ``timeout`` seconds (the kernel is restarted in both cases).
        """
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import NotebookExecutionManager
        from papermill.exceptions import PapermillExecutionError
        from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
        from papermill.parameterize import parameterize_notebook

        if self.km is None or not self.km.is_alive() or self.runs >= self.recycle_after or self.dirty:
            self.restart()
        else:
            self._run_silently(RESET_CODE, timeout=30)
        nb = parameterize_notebook(copy.deepcopy(notebook), parameters, report_mode=False,
                                   kernel_name=self.kernel_name, language="python")
        nb = remove_error_markers(prepare_notebook_metadata(nb, input_path, None))
        manager = NotebookExecutionManager(nb, output_path=None, log_output=False, progress_bar=False,
                                           autosave_cell_every=0)
        manager.notebook_start()
        try:
            client = PapermillNotebookClient(manager, km=self.km, timeout=timeout, kernel_name=self.kernel_name,
                                             startup_timeout=self.startup_timeout, log=log, log_output=False)
            client.kc = self.async_kc
            client.execute()
        except (CellTimeoutError, DeadKernelError) as exc:
            self.shutdown()  # a hung kernel would keep its core busy; the next run starts a new one
            raise KernelTimeout(f"单元格执行超过 {timeout} 秒或内核已退出（{type(exc).__name__}），已停止该内核") from None
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
            self.runs += 1
        try:
            raise_for_execution_errors(manager.nb, None)
        except PapermillExecutionError:
            self.dirty = True  # whatever the failed notebook left behind: restart before the next one
            raise
        return manager.nb
