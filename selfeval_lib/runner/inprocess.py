"""Executing a notebook in the calling process: a papermill engine without a kernel.

A Jupyter kernel is a second Python that boots and imports pandas, matplotlib and selfeval
again (1–2 s of a single report's CPU); ``selfeval run`` has already imported them. The
``selfeval-inprocess`` engine (registered with papermill's engine registry, :func:`register_engine`)
runs each code cell on an IPython shell of this process, as the kernel runs it: the same
parameters cell (papermill injects it), ``display()`` outputs, the last expression's value as
``execute_result`` (through the same display formatter as the kernel's), ``print`` as streams,
and an error as an ``error`` output that stops the notebook — papermill then raises its
``PapermillExecutionError`` as with a kernel. Each notebook starts with an empty user
namespace (:func:`~selfeval_lib.runner.namespace.reset_namespace`).

A cell past ``execution_timeout`` seconds is interrupted (an exception raised in the executing
thread; a cell blocked inside C code is interrupted when it returns to Python) and
:class:`~selfeval_lib.errors.KernelTimeout` raised. Where this process already runs an IPython
shell (a Jupyter kernel: an analyst calling ``run_report`` in JupyterLab), the notebook's
``display()`` would reach that shell's own output, so :func:`available` is False and the
caller starts a kernel instead. Batch workers execute in-process too (each in a process of its
own: a cell that cannot be interrupted gets its worker replaced, see
:mod:`selfeval_lib.batch.executors`); ``--kernel NAME`` asks for a kernel.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from selfeval_lib.errors import KernelTimeout, ReportError

#: The name under which the engine is registered with papermill.
ENGINE_NAME = "selfeval-inprocess"


#: pandas' display options that differ between a terminal program and a Jupyter kernel (pandas'
#: own defaults for each: ``pandas.core.config_init``).
KERNEL_PANDAS_OPTIONS = {"display.max_columns": 20}


class _CellTimedOut(BaseException):
    """Raised inside a cell that ran past its time limit (BaseException: user code's
    ``except Exception`` does not swallow it)."""


def available() -> bool:
    """Whether a notebook can run in this process: no other IPython shell is running here."""
    if "IPython" not in sys.modules:
        return True
    from IPython.core.interactiveshell import InteractiveShell

    return not InteractiveShell.initialized() or isinstance(InteractiveShell.instance(), _shell_class())


def load_modules() -> None:
    """Import what the report and monitoring notebooks import and set the charts' font (as a
    warm kernel does); a batch's fork server does this once for all its workers."""
    from selfeval_lib.render import notebook  # noqa: F401
    from selfeval_lib.report import monitoring, narrative, outline, tables  # noqa: F401
    from selfeval_lib.report.charts import chart_font

    chart_font()


def preload() -> None:
    """:func:`load_modules`, and create the shell: the first notebook then only runs its cells."""
    load_modules()
    if available():
        shell()


@lru_cache(maxsize=1)
def _shell_class() -> type:
    """The IPython shell whose display, result and error outputs become the running cell's
    outputs (built on first use: importing this module does not import IPython)."""
    import nbformat.v4 as v4
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
            self.shell.emit(v4.new_output("display_data", data=data, metadata=metadata or {}))

        def clear_output(self, wait: bool = False) -> None:
            self.shell.outputs.clear()

    class ResultHook(DisplayHook):
        def start_displayhook(self) -> None:
            pass

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:
            self.shell.emit(v4.new_output("execute_result", data=format_dict, metadata=md_dict or {},
                                          execution_count=self.prompt_count))

        def finish_displayhook(self) -> None:
            pass

    class NotebookShell(InteractiveShell):
        """An IPython shell that collects the running cell's outputs in :attr:`outputs`."""

        display_pub_class = Type(Publisher)
        displayhook_class = Type(ResultHook)

        def __init__(self, **kwargs: Any) -> None:
            self.outputs: list = []
            super().__init__(**kwargs)

        def emit(self, output) -> None:
            self.outputs.append(output)

        def write_stream(self, name: str, text: str) -> None:
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last.output_type == "stream" and last.name == name:
                last.text += text
            else:
                self.outputs.append(v4.new_output("stream", name=name, text=text))

        def _showtraceback(self, etype, evalue, stb) -> None:
            self.emit(v4.new_output("error", ename=getattr(etype, "__name__", str(etype)), evalue=str(evalue),
                                    traceback=list(stb)))

    return NotebookShell


def shell() -> Any:
    """This process's notebook shell (IPython's singleton shell; one per process). Its history
    stays in memory, and ``sys.modules['__main__']`` stays the program's own. Made again when the
    singleton was cleared (``InteractiveShell.clear_instance()``): a shell that is no longer the
    singleton would see IPython's ``display()`` print reprs instead of giving outputs."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    cls = _shell_class()
    if InteractiveShell.initialized() and isinstance(InteractiveShell.instance(), cls):
        return InteractiveShell.instance()
    if not available():
        raise ReportError("本进程已有 IPython 内核在运行，无法在进程内执行报告笔记本；请改用内核执行")
    cls.clear_instance()  # ours, left registered on our class when IPython's singleton was cleared
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.warn_venv = False
    config.InteractiveShell.colors = "nocolor"
    main = sys.modules.get("__main__")
    try:
        return cls.instance(config=config, user_module=types.ModuleType("__main__"))
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _StreamWriter:
    """``sys.stdout``/``sys.stderr`` while a cell runs: text goes to the cell's outputs."""

    def __init__(self, target: Any, name: str) -> None:
        self.target, self.name = target, name
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        if text:
            self.target.write_stream(self.name, str(text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Deadline:
    """Interrupts the thread that runs a cell once ``seconds`` have passed (see the module docstring)."""

    def __init__(self, seconds: float | None) -> None:
        self.fired = False
        self._running = False
        self._lock = threading.Lock()
        self._thread_id = threading.get_ident()
        self._timer = threading.Timer(seconds, self._fire) if seconds else None
        if self._timer is not None:
            self._timer.daemon = True

    def _fire(self) -> None:
        with self._lock:
            if self._running:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread_id),
                                                           ctypes.py_object(_CellTimedOut))

    def __enter__(self) -> _Deadline:
        self._running = True
        if self._timer is not None:
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running = False
        if self._timer is not None:
            self._timer.cancel()


def run_cells(nb_man, timeout: float | None, on_cell: Callable[[bool], None] | None = None) -> None:
    """Execute the code cells of papermill's managed notebook ``nb_man`` on :func:`shell`, in
    order, until one fails (see the module docstring); papermill's cell hooks are called as
    its own client calls them. ``on_cell(True)`` is called as each code cell starts and
    ``on_cell(False)`` once no cell runs any more (a batch worker's parent watches the time a
    cell has been running, to replace a worker whose cell cannot be interrupted)."""
    from selfeval_lib.runner.namespace import reset_namespace

    sh = shell()
    reset_namespace(sh)
    nb_man.nb.metadata["language_info"] = language_info()
    try:
        with _as_in_a_kernel():
            for index, cell in enumerate(nb_man.nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    if cell.cell_type == "code" and cell.source.strip():
                        if on_cell is not None:
                            on_cell(True)
                        if not _run_cell(sh, cell, timeout):
                            nb_man.cell_exception(cell, cell_index=index)
                            break
                finally:
                    nb_man.cell_complete(cell, cell_index=index)
    finally:
        if on_cell is not None:
            on_cell(False)


def language_info() -> dict[str, Any]:
    """The notebook's ``language_info``, as the Python kernel (ipykernel) describes itself."""
    return {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
            "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
            "version": sys.version.split()[0]}


@contextmanager
def _as_in_a_kernel() -> Iterator[None]:
    """pandas' display options as in a Jupyter kernel, for the cells' outputs: pandas imported
    from a terminal program sizes a table's text to the terminal (``display.max_columns`` 0), in
    a kernel to :data:`KERNEL_PANDAS_OPTIONS`."""
    import pandas

    with pandas.option_context(*(item for pair in KERNEL_PANDAS_OPTIONS.items() for item in pair)):
        yield


def _run_cell(sh: Any, cell: Any, timeout: float | None) -> bool:
    """Run one code cell; its outputs and execution count set on ``cell``. False when it raised."""
    cell.outputs = sh.outputs = []
    cell.execution_count = sh.execution_count
    saved = sys.stdout, sys.stderr
    deadline = _Deadline(timeout)
    try:
        with deadline:
            sys.stdout, sys.stderr = _StreamWriter(sh, "stdout"), _StreamWriter(sh, "stderr")
            try:
                result = sh.run_cell(cell.source, store_history=True)
            finally:
                sys.stdout, sys.stderr = saved
    except _CellTimedOut:
        deadline.fired = True
    if deadline.fired:
        raise KernelTimeout(f"单元格执行超过 {timeout:g} 秒，已停止执行", seconds=timeout)
    return result.success


def register_engine() -> None:
    """Register the engine with papermill as ``selfeval-inprocess`` (idempotent)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, engine_class())


@lru_cache(maxsize=1)
def engine_class() -> type:
    """The papermill ``Engine`` subclass that runs :func:`run_cells` (built on first use)."""
    from papermill.engines import Engine

    class InProcessEngine(Engine):
        """Papermill engine that executes the notebook in this process (see the module docstring)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout: float | None = None,
                                     on_cell: Callable[[bool], None] | None = None, **kwargs) -> None:
            run_cells(nb_man, execution_timeout, on_cell)

    return InProcessEngine


def execute(notebook: Path, parameters: dict[str, Any], timeout: int | None,
            on_cell: Callable[[bool], None] | None = None):
    """Parameterise and execute ``notebook`` with papermill in this process; the executed
    notebook (in memory). Raises ``PapermillExecutionError`` for a failing cell and
    :class:`KernelTimeout` for a cell past ``timeout`` seconds; ``on_cell`` as for :func:`run_cells`."""
    import papermill

    register_engine()
    return papermill.execute_notebook(
        str(notebook), None, parameters, engine_name=ENGINE_NAME, kernel_name="python3", language="python",
        progress_bar=False, log_output=False, request_save_on_cell_execute=False, execution_timeout=timeout,
        on_cell=on_cell)


__all__ = ["ENGINE_NAME", "InProcess", "available", "engine_class", "execute", "load_modules", "preload", "register_engine", "run_cells", "shell"]


class InProcess:
    """The in-process counterpart of a :class:`~selfeval_lib.runner.kernel.WarmKernel`: what
    :func:`selfeval_lib.runner.run.execute_notebook` executes on (``on_cell`` as for :func:`run_cells`)."""

    def __init__(self, on_cell: Callable[[bool], None] | None = None) -> None:
        self.on_cell = on_cell

    def execute(self, notebook: Path, parameters: dict[str, Any], timeout: int | None):
        return execute(notebook, parameters, timeout, self.on_cell)
