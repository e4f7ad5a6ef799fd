"""Report HTML -> PDF through the browser already on the machine (Chromium, Chrome or Edge).

The browser is driven by Playwright's Python package with ``executable_path``: nothing is
downloaded. It runs headless, offline (the page's context refuses every request: the report
embeds its images as ``data:`` URLs), without JavaScript, on a fresh empty profile that
Playwright removes on close. The page is printed with the report's own CSS paged media
(``@page`` size, margins and margin boxes, which Chromium honours since version 131), so both
engines follow one stylesheet.

One :class:`BrowserPrinter` per process (:func:`shared_printer`) keeps the browser open for
many reports — a batch worker's whole life — on a thread of its own (Playwright's synchronous
API belongs to the thread that started it, and must not run inside an asyncio loop such as a
Jupyter kernel's). A browser that died is started again for the next print; the printer is
closed by its owner (:func:`close_shared`) and, failing that, when the interpreter exits.

Chromium's PDF differs between two prints of the same HTML only in the creation and
modification dates of its information dictionary; :func:`deterministic` blanks them (same byte
length, so the cross-reference table stays valid) and the result is byte-identical. Chromium
embeds the CFF-flavoured Noto CJK fonts as Type 3 fonts with a ToUnicode map: the glyphs are
embedded outlines, the text is extractable and searchable.
"""

from __future__ import annotations

import atexit
import os
import queue
import re
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from selfeval_lib.errors import ReportError

#: Command-line switches of the browser: headless, no GPU, nothing fetched in the background.
BROWSER_ARGS = ("--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync")


def browser_args() -> list[str]:
    """:data:`BROWSER_ARGS`, and ``--no-sandbox`` only where Chromium cannot start its sandbox: run
    as root (a server, a container, CI). On a user's Windows or macOS desktop the sandbox stays."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [*BROWSER_ARGS, *(["--no-sandbox"] if as_root else [])]
#: The environment variable that names a browser executable (as ``--browser`` does).
BROWSER_ENV = "SELFEVAL_BROWSER"
#: Executables looked up on PATH, in order.
BROWSER_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
                    "microsoft-edge", "microsoft-edge-stable", "msedge")
#: Where Windows and macOS install Edge and Chrome (``%VAR%`` expanded).
BROWSER_PATHS = (
    r"%ProgramFiles(x86)%\Microsoft\Edge\Application\msedge.exe",
    r"%ProgramFiles%\Microsoft\Edge\Application\msedge.exe",
    r"%ProgramFiles%\Google\Chrome\Application\chrome.exe",
    r"%ProgramFiles(x86)%\Google\Chrome\Application\chrome.exe",
    r"%LocalAppData%\Google\Chrome\Application\chrome.exe",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
#: A page that makes the browser load the report's Chinese fonts before the first report.
WARM_UP_PAGE = ('<html lang="zh-CN"><head><style>@page { size: A4; margin: 20mm; '
                '@bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC", serif } }'
                '</style></head><body><p style="font-family: \'Noto Sans CJK SC\', sans-serif">绩效自评 <b>报告</b></p>'
                '<p style="font-family: \'Noto Serif CJK SC\', serif">绩效自评 <b>报告</b></p></body></html>')
#: Milliseconds a print may take before it fails (a 10-page report takes about one second).
PRINT_TIMEOUT_MS = 120_000
#: Milliseconds the browser may take to start.
LAUNCH_TIMEOUT_MS = 60_000

_DATE_ENTRY = re.compile(rb"/(?:CreationDate|ModDate) ?\((?:[^()\\]|\\.)*\)")


class BrowserNotFound(ReportError):
    """No Chromium, Chrome or Edge to print with (or the one named does not exist)."""


class BrowserFailed(ReportError):
    """The browser could not be started or could not print."""


def find_browser(named: str | os.PathLike[str] | None = None) -> Path:
    """The browser executable: ``named`` (a path or a command on PATH), else
    ``$SELFEVAL_BROWSER``, else the first of :data:`BROWSER_COMMANDS` on PATH, else the usual
    install locations of Edge and Chrome (:data:`BROWSER_PATHS`). :class:`BrowserNotFound` says
    what was looked for."""
    wanted = named or os.environ.get(BROWSER_ENV)
    if wanted:
        found = shutil.which(str(wanted))
        if found:
            return Path(found)
        source = "--browser" if named else f"环境变量 {BROWSER_ENV}"
        raise BrowserNotFound(f"{source} 指定的浏览器不存在或不可执行：{wanted}")
    for command in BROWSER_COMMANDS:
        found = shutil.which(command)
        if found:
            return Path(found)
    for pattern in BROWSER_PATHS:
        path = Path(os.path.expandvars(pattern))
        if "%" not in str(path) and path.is_file():
            return path
    raise BrowserNotFound("找不到 Chromium、Chrome 或 Edge 浏览器，无法用浏览器生成 PDF；请安装其中之一，"
                          f"或用 --browser（环境变量 {BROWSER_ENV}）指定浏览器程序的位置")


def deterministic(pdf: bytes) -> bytes:
    """The PDF without its creation and modification dates: each ``/CreationDate (…)`` and
    ``/ModDate (…)`` entry is overwritten with spaces, so every offset stays where the
    cross-reference table says it is (see the module docstring)."""
    return _DATE_ENTRY.sub(lambda m: b" " * len(m.group(0)), pdf)


class BrowserPrinter:
    """One headless browser on its own thread, printing HTML to PDF (see the module docstring).

    :meth:`start` launches it in the background; :meth:`submit` queues a print and returns a
    future, :meth:`print_pdf` waits for it; :meth:`close` stops the browser and the thread. A
    print that fails because the browser died restarts the browser and is tried once more."""

    def __init__(self, executable: str | os.PathLike[str] | None = None) -> None:
        self.executable = find_browser(executable)
        self.launches = 0
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._page: Any = None
        self._processes: list[int] = []

    # --- the caller's side ------------------------------------------------------------------
    def start(self) -> Future:
        """Launch the browser and load the report's fonts, in the background; the future ends
        when it is ready (its exception if it could not start)."""
        return self._call(self._warm_up)

    def submit(self, html: str) -> Future:
        """Queue ``html`` for printing; the future's result is the PDF's bytes."""
        return self._call(lambda: self._print(html))

    def print_pdf(self, html: str) -> bytes:
        """``html`` printed to PDF (A4 and margins from its ``@page`` rules), deterministic bytes."""
        return self.submit(html).result()

    def pids(self) -> list[int]:
        """The processes started with the running browser (Playwright's driver, the browser and
        its helpers; Linux only, empty when it is not running)."""
        return self._call(self._pids).result()

    def close(self) -> None:
        """Close the browser and stop the thread (idempotent; waits for both)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join()

    def __enter__(self) -> BrowserPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, job: Callable[[], Any]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="selfeval-browser", daemon=True)
                self._thread.start()
            self._jobs.put((job, future))
        return future

    # --- the browser's thread ---------------------------------------------------------------
    def _serve(self) -> None:
        try:
            while (item := self._jobs.get()) is not None:
                job, future = item
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(job())
                    except BaseException as exc:  # handed to the caller
                        future.set_exception(exc)
        finally:
            self._stop()

    def _launch(self) -> None:
        from playwright.sync_api import Error, sync_playwright

        self._stop()
        before = set(descendants(os.getpid()))
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(self.executable), args=browser_args(), headless=True,
                timeout=LAUNCH_TIMEOUT_MS, env={**os.environ, "TZ": "UTC"})
            context = self._browser.new_context(java_script_enabled=False, offline=True)
            context.route("**/*", lambda route: route.abort())  # nothing but the page itself and its data: URLs
            self._page = context.new_page()
            self._page.set_default_timeout(PRINT_TIMEOUT_MS)
        except Error as exc:
            self._stop()
            raise BrowserFailed(f"无法启动浏览器 {self.executable}：{_first_line(exc)}") from None
        self.launches += 1
        self._processes = sorted(set(descendants(os.getpid())) - before)

    def _alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected() and not self._page.is_closed()

    def _print(self, html: str) -> bytes:
        from playwright.sync_api import Error

        for attempt in (1, 2):
            if not self._alive():
                self._launch()
            try:
                self._page.set_content(html, wait_until="load")
                pdf = self._page.pdf(prefer_css_page_size=True, print_background=True, display_header_footer=False,
                                     outline=False, tagged=False)
                return deterministic(pdf)
            except Error as exc:
                if attempt == 2:
                    raise BrowserFailed(f"浏览器生成 PDF 失败：{_first_line(exc)}") from None
                self._stop()  # the browser died (or hangs): a new one prints it once more
        raise AssertionError("unreachable")

    def _warm_up(self) -> None:
        self._print(WARM_UP_PAGE)

    def _pids(self) -> list[int]:
        return [pid for pid in self._processes if pid in set(descendants(os.getpid()))] if self._alive() else []

    def _stop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._page = self._playwright = None
        for stop in (browser.close if browser is not None else None, playwright.stop if playwright is not None else None):
            if stop is not None:
                try:
                    stop()
                except Exception:  # already gone
                    pass


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def descendants(pid: int) -> list[int]:
    """The running descendants of process ``pid`` (Linux ``/proc``; empty elsewhere): the
    browser's processes and Playwright's driver, for the tests that check none is left."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, stack = [], list(children.get(pid, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(children.get(child, []))
    return sorted(found)


_shared: BrowserPrinter | None = None
_shared_lock = threading.Lock()


def shared_printer(executable: str | os.PathLike[str] | None = None) -> BrowserPrinter:
    """This process's printer (one browser per process: a batch worker keeps it for all its
    reports), started on first use; a different ``executable`` replaces it."""
    global _shared
    with _shared_lock:
        if _shared is not None and executable is not None and _shared.executable != find_browser(executable):
            _shared.close()
            _shared = None
        if _shared is None:
            _shared = BrowserPrinter(executable)
            _shared.start()
        return _shared


def close_shared() -> None:
    """Close this process's printer, if one was started (also run when the interpreter exits)."""
    global _shared
    with _shared_lock:
        printer, _shared = _shared, None
    if printer is not None:
        printer.close()


atexit.register(close_shared)

__all__ = ["BROWSER_ARGS", "BROWSER_ENV", "browser_args", "BrowserFailed", "BrowserNotFound", "BrowserPrinter", "close_shared",
           "descendants", "deterministic", "find_browser", "shared_printer"]
