"""Report HTML -> PDF with one of two engines behind one signature.

- ``weasyprint`` (:mod:`.pdf_weasyprint`): in-process, needs pango (Linux; on Windows a GTK
  runtime that preparers do not install);
- ``browser`` (:mod:`.pdf_browser`): the Chromium, Chrome or Edge already on the machine,
  kept open per process;
- ``auto`` (the default): WeasyPrint where it loads, the browser otherwise.

Both print the report's own stylesheet (A4, margins, fonts and page numbers from its ``@page``
rules) and give byte-identical PDFs for identical HTML. :func:`pdf_job` starts a print and
returns what waits for it, so that a run renders its other files while the browser prints.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

#: The engines a user may name (``--pdf-engine``).
PDF_ENGINES = ("auto", "weasyprint", "browser")
DEFAULT_PDF_ENGINE = "auto"


def parse_pdf_engine(text: str) -> str:
    """``auto``, ``weasyprint`` or ``browser`` (case and spaces ignored); ValueError says what is wrong."""
    name = text.strip().lower()
    if name not in PDF_ENGINES:
        raise ValueError(f"未知的 PDF 引擎：{text!r}（可选：{', '.join(PDF_ENGINES)}）")
    return name


@lru_cache(maxsize=1)
def weasyprint_loads() -> bool:
    """Whether WeasyPrint imports here (it fails without pango's libraries, with OSError)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def resolve_engine(engine: str = DEFAULT_PDF_ENGINE) -> str:
    """The engine that will print: ``weasyprint`` or ``browser`` (``auto`` is WeasyPrint where
    it loads). Naming ``weasyprint`` where it does not load is a :class:`ReportError`."""
    engine = parse_pdf_engine(engine)
    if engine == "auto":
        return "weasyprint" if weasyprint_loads() else "browser"
    if engine == "weasyprint" and not weasyprint_loads():
        from selfeval_lib.errors import ReportError

        raise ReportError("WeasyPrint 无法加载（本机缺少 pango 等库）；请改用 --pdf-engine browser 或 auto")
    return engine


def check_engine(engine: str = DEFAULT_PDF_ENGINE, browser: str | None = None) -> None:
    """Refuse, before any work, an engine named that cannot print here (:class:`ReportError`):
    ``weasyprint`` that does not load, ``browser`` with no browser found. ``auto`` is checked
    when it prints (finding out would load WeasyPrint ahead of time)."""
    engine = parse_pdf_engine(engine)
    if engine == "weasyprint":
        resolve_engine(engine)
    elif engine == "browser":
        from selfeval_lib.render.pdf_browser import find_browser

        find_browser(browser)


def html_to_pdf(html: str, base_url: str | None = None, *, engine: str = DEFAULT_PDF_ENGINE,
                browser: str | None = None) -> bytes:
    """``html`` as A4 PDF bytes, offline (only ``data:`` resources), deterministic, with
    ``engine`` (see the module docstring); ``browser`` names the browser executable."""
    return pdf_job(html, base_url, engine=engine, browser=browser)()


def pdf_job(html: str, base_url: str | None = None, *, engine: str = DEFAULT_PDF_ENGINE,
            browser: str | None = None) -> Callable[[], bytes]:
    """Start printing ``html`` and return a function that gives the PDF's bytes: the browser
    prints in its own processes meanwhile; WeasyPrint, in this process, prints when called."""
    if resolve_engine(engine) == "browser":
        from selfeval_lib.render.pdf_browser import shared_printer

        future = shared_printer(browser).submit(html)
        return future.result
    from selfeval_lib.render.pdf_weasyprint import html_to_pdf as weasyprint_pdf

    return lambda: weasyprint_pdf(html, base_url)


def warm_up(engine: str = DEFAULT_PDF_ENGINE, browser: str | None = None) -> str:
    """Load the engine and the report's fonts ahead of the first report (the browser is
    launched, in the background); the engine that will print."""
    resolved = resolve_engine(engine)
    if resolved == "browser":
        from selfeval_lib.render.pdf_browser import shared_printer

        shared_printer(browser)
    else:
        from selfeval_lib.render.pdf_weasyprint import warm_up_fonts

        warm_up_fonts()
    return resolved


__all__ = ["DEFAULT_PDF_ENGINE", "PDF_ENGINES", "check_engine", "html_to_pdf", "parse_pdf_engine", "pdf_job",
           "resolve_engine", "warm_up", "weasyprint_loads"]
